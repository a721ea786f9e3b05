"""The auxiliary-loss weight, swept on a validation split of the training pairs.

The test pairs are never used. (The other settings of every architecture come from one
protocol for all, `proj1.tuning`.)
"""

from proj1.experiment import run_experiment


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
