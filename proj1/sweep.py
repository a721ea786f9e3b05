"""The auxiliary-loss weight, swept on a validation split of the training pairs.

The test pairs are never used. (The other settings of every architecture come from one
protocol for all, `proj1.tuning`.)
"""

from collections.abc import Callable, Iterable

from proj1.experiment import run_experiment

ARCHS = ("split_aux", "siamese_aux")
WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
VALIDATION = 200


def aux_weight_sweep(
    archs=ARCHS,
    weights=WEIGHTS,
    rounds=3,
    validation=VALIDATION,
    *,
    done: Iterable[dict] = (),
    on_record: Callable[[dict], None] | None = None,
    **options,
) -> list[dict]:
    """Validation error per (arch, aux_weight): the summary rows with `aux_weight` added.

    `done` and `on_record` as in `run_experiment`, over all the weights (a record's weight
    is its `settings["aux_weight"]`).
    """
    done = list(done)
    rows = []
    for weight in weights:
        result = run_experiment(
            archs,
            rounds,
            validation=validation,
            train_options={"aux_weight": weight},
            done=[r for r in done if r["settings"]["aux_weight"] == weight],
            on_record=on_record,
            **options,
        )
        rows += [{"aux_weight": weight} | s for s in result.summary]
    return rows
