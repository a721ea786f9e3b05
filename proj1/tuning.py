"""One tuning protocol for every architecture, and the settings it chose (`settings`).

Every architecture gets the same budget: `BUDGET` configurations drawn without replacement
from its own search space (the common knobs, plus the head where it has a learned one and
the auxiliary weight where it has an auxiliary loss), each trained for `ROUNDS` rounds of
25 epochs on 800 training pairs and scored on the 200 held-out training pairs of the round
(`run_experiment(validation=200)`): the test pairs are never looked at. The configuration
with the lowest mean validation error wins. `python -m proj1.tuning` reruns the search and
writes `tuned.json` beside this file, which `settings` reads.
"""

import argparse
import functools
import itertools
import json
from pathlib import Path

import torch

from proj1.models import ARCHITECTURES

TUNED = Path(__file__).with_name("tuned.json")
BUDGET, ROUNDS, VALIDATION, SEED = 16, 3, 200, 1000  # seeds 1000..: apart from the study's

COMMON = {
    "lr": (1e-3, 2e-3, 4e-3),
    "dropout": (0.0, 0.25, 0.5),
    "weight_decay": (0.0, 1e-3),
    "swap": (False, True),  # half of each minibatch with its two images swapped (and target)
}
HEAD = {"softmax": (True, False)}  # the learned comparison head: on probabilities or scores
AUX = {"aux_weight": (0.5, 1.0, 2.0)}
MODEL_KNOBS = ("dropout", "softmax")  # the rest are options of `training.train`


def space(arch: str) -> dict[str, tuple]:
    """The knobs searched for `arch` and their values."""
    knobs = dict(COMMON)
    if arch.startswith("split") or arch in ("siamese", "siamese_aux"):
        knobs |= HEAD
    if arch.endswith("_aux") or arch.startswith("siamese_exact"):
        knobs |= AUX
    return knobs


def candidates(arch: str, budget: int = BUDGET) -> list[dict]:
    """`budget` configurations of `arch`'s space, drawn without replacement (reproducibly)."""
    knobs = space(arch)
    grid = [dict(zip(knobs, values)) for values in itertools.product(*knobs.values())]
    if len(grid) <= budget:
        return grid
    seed = sorted(ARCHITECTURES).index(arch)  # one fixed draw per architecture
    order = torch.randperm(len(grid), generator=torch.Generator().manual_seed(seed))
    return [grid[i] for i in sorted(order[:budget].tolist())]


def split_options(config: dict) -> tuple[dict, dict]:
    """(model options for `models.build`, training options for `training.train`)."""
    model = {k: v for k, v in config.items() if k in MODEL_KNOBS}
    return model, {k: v for k, v in config.items() if k not in MODEL_KNOBS}


def tune(archs, *, budget=BUDGET, rounds=ROUNDS, progress=False, **options) -> dict:
    """Run the protocol for `archs`: {arch: {"chosen", "validation_error", "search"}}."""
    from proj1.experiment import run_experiment  # experiment imports `settings` from here

    outcome = {}
    for arch in archs:
        search = []
        for config in candidates(arch, budget):
            model, train = split_options(config)
            result = run_experiment(
                [arch],
                rounds,
                seed=SEED,
                validation=VALIDATION,
                model_options=model,
                train_options=train,
                progress=progress,
                **options,
            )
            (row,) = result.summary
            search.append({"config": config, "validation_error": row["test_error_mean"]})
        best = min(search, key=lambda s: s["validation_error"])
        outcome[arch] = {"chosen": best["config"], "validation_error": best["validation_error"]}
        outcome[arch]["search"] = search
    return outcome


def settings(arch: str) -> tuple[dict, dict]:
    """The tuned (model options, training options) of `arch`; ({}, {}) when never tuned."""
    chosen = _tuned().get(arch)
    return split_options(chosen["chosen"]) if chosen else ({}, {})


@functools.cache
def _tuned() -> dict:
    return json.loads(TUNED.read_text())["archs"] if TUNED.exists() else {}


def main(argv=None) -> None:
    """`python -m proj1.tuning [--archs ...]`: rerun the search, print it, update tuned.json."""
    parser = argparse.ArgumentParser(prog="python -m proj1.tuning", description=__doc__)
    parser.add_argument("--archs", nargs="+", default=list(ARCHITECTURES))
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    outcome = tune(args.archs, source="mnist-5k", jobs=args.jobs, progress=True)
    doc = json.loads(TUNED.read_text()) if TUNED.exists() else {"archs": {}}
    doc["protocol"] = {"budget": BUDGET, "rounds": ROUNDS, "validation": VALIDATION}
    doc["protocol"] |= {"seed": SEED, "epochs": 25, "source": "mnist-5k", "space": COMMON}
    doc["protocol"] |= {"head": HEAD, "aux": AUX}
    doc["archs"] |= outcome
    TUNED.write_text(json.dumps(doc, indent=1) + "\n")
    for arch, row in outcome.items():
        print(f"{arch:<17} {100 * row['validation_error']:5.2f} %  {row['chosen']}")


if __name__ == "__main__":
    main()
