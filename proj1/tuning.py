"""One tuning protocol for every architecture, and the settings it chose (`settings`).

Every architecture gets the same budget, in two stages scored on validation pairs (each
round trains on 800 training pairs and scores the 200 held-out training pairs of the round,
`experiment.draw_pairs(validation=200)`): the test pairs are never looked at.

1. Search: `BUDGET` configurations drawn without replacement from the architecture's own
   space (the common knobs, plus the head where it has a learned one and the auxiliary
   weight where it has an auxiliary loss), `ROUNDS` rounds each (seeds from `SEED`).
2. Final: the `FINALISTS` best of the search, `FINAL_ROUNDS` fresh rounds each (seeds from
   `FINAL_SEED`); the lowest fresh mean wins. Three rounds of 200 pairs cannot rank close
   configurations (their standard error is about 1.5 points at 15 % error); the fresh rounds
   also keep the search's luckiest draw from deciding.

`python -m proj1.tuning` reruns both stages and writes `tuned.json` beside this file, which
`settings` reads. Each finished validation round is appended to `OUT/rounds.jsonl` at once:
an interrupted tuning keeps them and `--resume` continues it to the same choices.
"""

import argparse
import functools
import itertools
import json
import sys
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import torch

from proj1 import checks, outputs
from proj1.interrupts import Interrupted, stop_on_signals
from proj1.jobs import JobError, default_jobs, run_jobs, usable_cores
from proj1.models import ARCHITECTURES
from proj1.records import RecordLog, dumps

TUNED = Path(__file__).with_name("tuned.json")
BUDGET, ROUNDS, VALIDATION, SEED = 16, 3, 200, 1000  # seeds 1000..: apart from the study's
FINALISTS, FINAL_ROUNDS, FINAL_SEED = 4, 10, 2000

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
    seed = zlib.crc32(arch.encode())  # one fixed draw per name, whatever else is registered
    order = torch.randperm(len(grid), generator=torch.Generator().manual_seed(seed))
    return [grid[i] for i in sorted(order[:budget].tolist())]


def split_options(config: dict) -> tuple[dict, dict]:
    """(model options for `models.build`, training options for `training.train`)."""
    model = {k: v for k, v in config.items() if k in MODEL_KNOBS}
    return model, {k: v for k, v in config.items() if k not in MODEL_KNOBS}


def tune(archs, *, budget=BUDGET, finalists=FINALISTS, progress=False, **options) -> dict:
    """Run both stages for `archs`: {arch: {"chosen", "validation_error", "search", "final"}}.

    `options` go to `validation_errors` (source, data_dir, jobs).
    """
    search = {arch: candidates(arch, budget) for arch in archs}
    errors = validation_errors(search, ROUNDS, SEED, progress=progress, **options)
    final = {}
    for arch in archs:
        ranked = sorted(zip(errors[arch], search[arch]), key=lambda e: e[0])
        final[arch] = [config for _, config in ranked[:finalists]]
    final_errors = validation_errors(final, FINAL_ROUNDS, FINAL_SEED, progress=progress, **options)
    outcome = {}
    for arch in archs:
        best = min(range(len(final[arch])), key=final_errors[arch].__getitem__)
        outcome[arch] = {"chosen": final[arch][best], "validation_error": final_errors[arch][best]}
        outcome[arch]["search"] = _table(search[arch], errors[arch])
        outcome[arch]["final"] = _table(final[arch], final_errors[arch])
    return outcome


def validation_errors(
    configs: dict[str, list[dict]],
    rounds: int,
    seed: int,
    *,
    source: str = "mnist-5k",
    data_dir: str | None = None,
    jobs: int | None = None,
    progress: bool = False,
    done: Iterable[dict] = (),
    on_record: Callable[[dict], None] | None = None,
) -> dict[str, list[float]]:
    """Mean validation error over `rounds` rounds (seeds from `seed`) of each arch's configs.

    Every (arch, config, round) is one job: all of them run side by side on `jobs` workers.
    A job's record is {"arch", "config", "seed", "validation_error"}: `done` holds records
    finished earlier (not run again), `on_record` is called with each new one at once.
    """
    from proj1 import experiment  # experiment imports `settings` from here

    entries = [(arch, config) for arch, cs in configs.items() for config in cs]
    finished = {_key(r["arch"], r["config"], r["seed"]): r for r in done}
    keys = [(arch, config, seed + r) for r in range(rounds) for arch, config in entries]
    todo = [k for k in keys if _key(*k) not in finished]

    def jobs_args():  # a round's pairs are drawn once, when its first job is sent
        for r in range(rounds):
            missing = [(a, c) for a, c in entries if _key(a, c, seed + r) not in finished]
            if missing:
                pairs = experiment.draw_pairs(1000, seed + r, source, data_dir, VALIDATION)
            for arch, config in missing:
                yield f"{arch} {config}, seed {seed + r}", (arch, config, seed + r, pairs)

    jobs = default_jobs() if jobs is None else jobs
    new = run_jobs(
        _job, jobs_args(), len(todo), jobs=jobs, progress=progress, desc="tuning",
        on_result=on_record,
    )  # fmt: skip
    finished |= {_key(*k): record for k, record in zip(todo, new)}
    sums = [0.0] * len(entries)
    for i, k in enumerate(keys):  # round-major: key i is entry i % len(entries)
        sums[i % len(entries)] += finished[_key(*k)]["validation_error"]
    means = iter(s / rounds for s in sums)
    return {arch: [next(means) for _ in cs] for arch, cs in configs.items()}


def _key(arch: str, config: dict, seed: int) -> tuple[str, str, int]:
    return arch, dumps(config, sort_keys=True), seed


def _job(arch: str, config: dict, seed: int, pairs) -> dict:
    model, train = split_options(config)
    record = _round(arch, seed, pairs, {"model_options": model, "train_options": train})
    return {"arch": arch, "config": config, "seed": seed, "validation_error": record["test_error"]}


def _round(arch: str, seed: int, pairs, options: dict) -> dict:
    from proj1.experiment import run_round

    return run_round(arch, seed, pairs, **options)


def _table(configs: list[dict], errors: list[float]) -> list[dict]:
    return [{"config": c, "validation_error": e} for c, e in zip(configs, errors)]


def settings(arch: str) -> tuple[dict, dict]:
    """The tuned (model options, training options) of `arch`; ({}, {}) when never tuned."""
    chosen = _tuned().get(arch)
    return split_options(chosen["chosen"]) if chosen else ({}, {})


@functools.cache
def _tuned() -> dict:
    return json.loads(TUNED.read_text())["archs"] if TUNED.exists() else {}


def protocol(source: str = "mnist-5k") -> dict:
    """The tuning protocol, as tuned.json records it (and a resumed tuning must match)."""
    doc = {"budget": BUDGET, "rounds": ROUNDS, "validation": VALIDATION, "seed": SEED}
    doc |= {"finalists": FINALISTS, "final_rounds": FINAL_ROUNDS, "final_seed": FINAL_SEED}
    doc |= {"epochs": 25, "source": source, "space": COMMON, "head": HEAD, "aux": AUX}
    return doc


def main(argv=None) -> int:
    """`python -m proj1.tuning [--archs ...]`: rerun the search, print it, update tuned.json.

    0 on success, 2 on bad arguments, 1 when a training fails, 128 + the signal's number
    when interrupted (the finished rounds kept in OUT/rounds.jsonl for --resume).
    """
    parser = argparse.ArgumentParser(prog="python -m proj1.tuning", description=__doc__)
    parser.add_argument("--archs", nargs="+", default=list(ARCHITECTURES), choices=ARCHITECTURES)
    parser.add_argument(
        "--jobs", type=int, default=None, help="worker processes, at most one per usable core"
    )
    parser.add_argument(
        "--out", default="results/tuning", help="folder of the record log (rounds.jsonl)"
    )
    again = parser.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true", help="continue the tuning in --out")
    again.add_argument("--force", action="store_true", help="replace the tuning in --out")
    args = parser.parse_args(argv)
    try:
        checks.names("--archs", args.archs, ARCHITECTURES, "architecture")
        if args.jobs is not None:
            checks.integer("--jobs", args.jobs, 1, usable_cores(), " (the usable cores)")
        outputs.check_folder(args.out, ["rounds.jsonl"], resume=args.resume, force=args.force)
        log = RecordLog(Path(args.out) / "rounds.jsonl", protocol(), resume=args.resume)
    except (ValueError, TypeError, OSError) as error:
        parser.error(str(error))
    try:
        with log, stop_on_signals():
            outcome = tune(
                args.archs, source="mnist-5k", jobs=args.jobs, progress=True,
                done=list(log.records), on_record=log.append,
            )  # fmt: skip
            doc = json.loads(TUNED.read_text()) if TUNED.exists() else {"archs": {}}
            doc["protocol"] = protocol()
            doc["archs"] |= outcome
            outputs.write_text(TUNED, dumps(doc, indent=1) + "\n")
    except Interrupted as stop:
        print(
            f"interrupted by {stop.name}; the finished rounds are kept ({len(log.records)} in "
            f"{log.path}); rerun with --resume to continue",
            file=sys.stderr,
        )
        return stop.exit_status
    except JobError as error:
        print(f"error: {error}; rerun with --resume to continue", file=sys.stderr)
        return 1
    for arch, row in outcome.items():
        print(f"{arch:<17} {100 * row['validation_error']:5.2f} %  {row['chosen']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
