"""Statistics over rounds, in PyTorch: summaries per architecture and paired effect sizes."""

import torch

# (effect, without, with): what the second network gains over the first, round by round
EFFECTS = (
    ("sharing, no aux", "split", "siamese"),
    ("sharing, with aux", "split_aux", "siamese_aux"),
    ("aux loss, split", "split", "split_aux"),
    ("aux loss, siamese", "siamese", "siamese_aux"),
    ("exact head", "siamese_aux", "siamese_exact"),
    ("swap augmentation", "siamese_aux", "siamese_aux_swap"),
    ("swap augmentation, exact", "siamese_exact", "siamese_exact_swap"),
    ("shift augmentation, exact", "siamese_exact", "siamese_exact_shift"),
    ("batch norm + wider convs, exact", "siamese_exact", "siamese_exact_bn"),
)


def describe(values: list[float], prefix: str = "") -> dict[str, float | None]:
    """Mean, sample std (None for one value), min and max of a list of floats."""
    x = torch.tensor(values, dtype=torch.float64)
    return {
        f"{prefix}mean": x.mean().item(),
        f"{prefix}std": x.std().item() if len(values) > 1 else None,
        f"{prefix}min": x.min().item(),
        f"{prefix}max": x.max().item(),
    }


def summarise(rounds: list[dict]) -> list[dict]:
    """One dict per architecture (first-seen order) from per-round records."""
    archs = list(dict.fromkeys(r["arch"] for r in rounds))
    summary = []
    for arch in archs:
        mine = [r for r in rounds if r["arch"] == arch]
        row = {"arch": arch, "params": mine[0]["params"], "rounds": len(mine)}
        row |= describe([r["train_error"] for r in mine], "train_error_")
        row |= describe([r["test_error"] for r in mine], "test_error_")
        digits = [r["digit_error"] for r in mine if r["digit_error"] is not None]
        row |= describe(digits, "digit_error_") if digits else {"digit_error_mean": None}
        row["seconds_per_round"] = describe([r["seconds"] for r in mine])["mean"]
        summary.append(row)
    return summary


def paired_differences(rounds: list[dict], without: str, with_: str) -> list[float]:
    """Test error of `without` minus that of `with_`, over the rounds both ran (by seed)."""
    errors = {(r["arch"], r["seed"]): r["test_error"] for r in rounds}
    seeds = sorted({s for a, s in errors if a == without} & {s for a, s in errors if a == with_})
    return [errors[without, s] - errors[with_, s] for s in seeds]


def effects(rounds: list[dict]) -> list[dict]:
    """What each design choice buys (positive = fewer errors), paired by round, as fractions.

    `wins` counts the rounds where `with` is strictly better; a tie is not a win.
    """
    rows = []
    for name, without, with_ in EFFECTS:
        diffs = paired_differences(rounds, without, with_)
        if diffs:
            rows.append(
                {"effect": name, "without": without, "with": with_, "rounds": len(diffs)}
                | describe(diffs)
                | {"wins": sum(d > 0 for d in diffs)}
            )
    return rows
