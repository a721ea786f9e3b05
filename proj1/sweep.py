"""Small sweeps on a validation split of the training pairs (the test pairs are never used).

`python -m proj1.sweep` reruns the sweep that chose the trainer's defaults and prints it.
"""

import itertools

from proj1.experiment import SIX, run_experiment

GRID = [
    {"lr": lr, "batch_size": batch, "schedule": schedule}
    for lr, batch, schedule in itertools.product((1e-3, 3e-3), (50, 100), ("constant", "cosine"))
]
# stage 1: the whole grid, 3 rounds; stage 2: batch 100 (as fast as the time budget needs), 6
STAGES = ((GRID, 3), ([c for c in GRID if c["batch_size"] == 100], 6))


def recipe_sweep(configs=GRID, archs=SIX, rounds=3, validation=200, **options) -> list[dict]:
    """Validation error (fraction) per training config, mean over archs and rounds."""
    rows = []
    for config in configs:
        result = run_experiment(
            archs, rounds, validation=validation, train_options=config, **options
        )
        per_arch = {s["arch"]: s["test_error_mean"] for s in result.summary}
        seconds = sum(s["seconds_per_round"] for s in result.summary) / len(archs)
        mean = sum(per_arch.values()) / len(per_arch)
        rows.append(config | {"error_mean": mean, "seconds_per_round": seconds} | per_arch)
    return rows


def aux_weight_sweep(
    archs=("split_aux", "siamese_aux"),
    weights=(0.0, 0.25, 0.5, 1.0, 2.0, 4.0),
    rounds=3,
    validation=200,
    **options,
) -> list[dict]:
    """Validation error per (arch, aux_weight): the summary rows with `aux_weight` added."""
    rows = []
    for weight in weights:
        result = run_experiment(
            archs, rounds, validation=validation, train_options={"aux_weight": weight}, **options
        )
        rows += [{"aux_weight": weight} | s for s in result.summary]
    return rows


def main() -> None:
    """Print both stages of the recipe sweep (all six, 800 train / 200 validation pairs)."""
    for configs, rounds in STAGES:
        print(f"{rounds} rounds")
        for row in recipe_sweep(configs, rounds=rounds):
            _print_row(row)


def _print_row(row: dict) -> None:
    archs = "  ".join(f"{a} {100 * row[a]:5.2f}" for a in SIX)
    print(
        f"lr {row['lr']:.0e}  batch {row['batch_size']:3d}  {row['schedule']:8s}  "
        f"mean {100 * row['error_mean']:5.2f} %  {row['seconds_per_round']:.2f} s/round",
        archs,
    )


if __name__ == "__main__":
    main()
