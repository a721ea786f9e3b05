"""Argument checks shared by the library and the command lines, run before any work.

Each check returns the value (normalised) or raises: TypeError for a value of the wrong
kind, ValueError for one out of range, the message naming the argument, the value given
and what is expected. The command lines turn either into a usage error naming the option
(`proj1.cli.option`), exit status 2.
"""

import math

import torch

MAX_SEED = 2**63 - 1  # torch.manual_seed takes 0..2**64 - 1 but wraps negative seeds silently
MAX_ROUNDS = 10_000  # 10,000 rounds of the study: about 55 hours on 2 cores
MAX_EPOCHS = 10_000
DEVICES = "cpu, cuda or cuda:N"


def integer(name: str, value, low: int, high: int | None = None, why: str = "") -> int:
    """`value` if it is an int (not a bool) in [low, high]; `high=None` has no upper bound.

    `why` follows the bounds in the message, e.g. " (the usable cores)".
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    if value < low or (high is not None and value > high):
        expected = f">= {low}" if high is None else f"between {low} and {high}"
        raise ValueError(f"{name} must be {expected}{why}, got {value}")
    return value


def real(name: str, value, low: float, *, above: bool = False) -> float:
    """`value` if it is a finite number >= `low` (> `low` when `above`)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    if not math.isfinite(value) or value < low or (above and value == low):
        raise ValueError(
            f"{name} must be a finite number {'>' if above else '>='} {low}, got {value}"
        )
    return value


def seeds(seed, count: int, name: str = "seed") -> int:
    """`seed` if `seed`, ..., `seed + count - 1` are all valid torch seeds (0..2**63 - 1)."""
    integer(name, seed, 0, MAX_SEED)
    if seed + count - 1 > MAX_SEED:
        raise ValueError(
            f"{name} {seed} with {count} rounds uses seeds up to {seed + count - 1}, past "
            f"2**63 - 1; expected {name} <= {MAX_SEED - count + 1}"
        )
    return seed


def names(name: str, given, choices, kind: str) -> list[str]:
    """`given` as a list, if every item is one of `choices` (each a `kind`), none twice."""
    if isinstance(given, str):
        raise TypeError(f"{name} must be a list of names, got the string {given!r}")
    given = list(given)
    if not given:
        raise ValueError(f"{name} must name at least one {kind}; choose from {', '.join(choices)}")
    unknown = [g for g in given if g not in choices]
    if unknown:
        raise ValueError(
            f"unknown {kind} {', '.join(map(repr, unknown))}; choose from {', '.join(choices)}"
        )
    twice = list(dict.fromkeys(g for g in given if given.count(g) > 1))
    if twice:
        raise ValueError(f"{name} names {', '.join(map(repr, twice))} more than once")
    return given


def device(value, name: str = "device") -> torch.device:
    """`value` as a torch.device: the CPU, or a CUDA GPU that torch sees."""
    try:
        parsed = torch.device(value)
    except (RuntimeError, TypeError):  # torch's message lists twenty device types
        parsed = None
    if parsed is None or parsed.type not in ("cpu", "cuda"):
        raise ValueError(f"{name} must be {DEVICES}, got {value!r}")
    if parsed.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(
                f"{name} {value!r} was asked for but torch.cuda.is_available() is False "
                "(no GPU that torch can use); use cpu"
            )
        count = torch.cuda.device_count()
        if parsed.index is not None and parsed.index >= count:
            raise ValueError(
                f"{name} {value!r} does not exist: torch sees {count} GPU(s), "
                f"cuda:0..cuda:{count - 1}"
            )
    return parsed
