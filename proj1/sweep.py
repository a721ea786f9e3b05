"""The auxiliary-loss weight, swept on a validation split of the training pairs.

The test pairs are never used. (The other settings of every architecture come from one
protocol for all, `proj1.tuning`.)
"""

from collections.abc import Callable, Iterable
from dataclasses import asdict

from proj1.experiment import as_round, run_experiment
from proj1.study import BEST

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
    """Validation error per (arm of the `best` table, aux_weight): the summary rows
    (`stats.ArmSummary` as dicts) with `aux_weight` added.

    `done` and `on_record` as in `run_experiment`, over all the weights (a record's weight
    is its `settings["aux_weight"]`).
    """
    done = [as_round(r) for r in done]
    rows = []
    for weight in weights:
        result = run_experiment(
            archs,
            rounds,
            tables=(BEST.name,),
            validation=validation,
            overrides={"aux_weight": weight},
            done=[r for r in done if r.settings["aux_weight"] == weight],
            on_record=on_record,
            **options,
        )
        rows += [{"aux_weight": weight} | asdict(s) for s in result.summaries[BEST.name]]
    return rows
