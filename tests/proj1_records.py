"""Records of the study made up by the tests: `Round`s with the fields a test cares about."""

from dataclasses import asdict, is_dataclass

from proj1.results import Round

DEFAULTS = {"params": 1, "train_error": 0.0, "digit_error": None, "seconds": 1.0}


def make_round(arch: str, seed: int, test_error: float, table: str = "best", **fields) -> Round:
    """A `Round` of arm `arch` of `table`, round number `seed`, with `fields` set."""
    values = DEFAULTS | {"round": seed, "settings": {}, "history": {}} | fields
    return Round(table=table, arch=arch, seed=seed, test_error=test_error, **values)


def rounds_of(errors: dict[str, list[float]], table: str = "best", **fields) -> list[Round]:
    """One `Round` per arm and seed from {arm: [test error of seed 0, seed 1, ...]}."""
    return [
        make_round(arch, seed, error, table, **fields)
        for arch, arm_errors in errors.items()
        for seed, error in enumerate(arm_errors)
    ]


def without_time(records) -> list[dict]:
    """Records (`Round`s or their dicts) as dicts without their training time, the one field
    in which two runs of the same rounds differ."""
    records = [asdict(r) if is_dataclass(r) else r for r in records]
    return [{k: v for k, v in r.items() if k != "seconds"} for r in records]
