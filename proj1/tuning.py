"""One tuning protocol for every arm of the study, and `python -m proj1.tuning` to rerun it.

Every configuration is scored on validation pairs: each round trains on 800 training pairs
and scores the 200 held-out training pairs of the round (`experiment.draw_pairs(
validation=200)`), all drawn from the train pool; no test image is ever looked at. Two stages,
with the same budget for everything tuned:

1. Search: `BUDGET` configurations drawn without replacement from a space (the common knobs,
   plus the head where there is a learned one and the auxiliary weight where there is an
   auxiliary loss), `ROUNDS` rounds each (seeds from `SEED`).
2. Final: the `FINALISTS` best of the search, `FINAL_ROUNDS` fresh rounds each (seeds from
   `FINAL_SEED`); the lowest fresh mean wins. Three rounds of 200 pairs cannot rank close
   configurations (their standard error is about 1.5 points at 15 % error); the fresh rounds
   also keep the search's luckiest draw from deciding.

What is tuned: for the `best` table, each architecture alone, in its own space; for the
`controlled` table, one configuration for the whole family (`study.FAMILY`), scored by its
mean validation error over the family's six networks, in the family's space (no swap: it
would give the tie bit to the networks without digit classes, see `proj1.study`).

The outcome goes to `tuned.json` (`study.TUNED`), which `study.settings` reads. Each
finished validation round is appended to `OUT/rounds.jsonl` at once: an interrupted tuning
keeps them and `--resume` continues it to the same choices.
"""

import argparse
import itertools
import sys
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

import torch

from proj1 import checks, outputs, study
from proj1.experiment import draw_pairs, run_round
from proj1.interrupts import Interrupted, stop_on_signals
from proj1.jobs import JobError, default_jobs, run_jobs, usable_cores
from proj1.records import RecordLog, dumps

BUDGET, ROUNDS, VALIDATION, SEED = 16, 3, 200, 1000  # seeds 1000..: apart from the study's
FINALISTS, FINAL_ROUNDS, FINAL_SEED = 4, 10, 2000
EPOCHS, SOURCE = 25, "mnist-5k"

COMMON = {
    "lr": (1e-3, 2e-3, 4e-3),
    "dropout": (0.0, 0.25, 0.5),
    "weight_decay": (0.0, 1e-3),
    "swap": (False, True),  # half of each minibatch with its two images swapped (and target)
}
HEAD = {"softmax": (True, False)}  # the learned comparison head: on probabilities or scores
AUX = {"aux_weight": (0.5, 1.0, 2.0)}
FAMILY = "family"  # the name the controlled table's configuration is searched under


def space(arch: str | None = None) -> dict[str, tuple]:
    """The knobs searched for architecture `arch`, or for the controlled family (None)."""
    if arch is None:
        knobs = {k: v for k, v in COMMON.items() if k != "swap"}
        return knobs | HEAD | AUX
    architecture = study.ARCHITECTURES[arch]
    knobs = dict(COMMON)
    if architecture.head == "learned":
        knobs |= HEAD
    if architecture.aux:
        knobs |= AUX
    return knobs


def candidates(name: str, knobs: dict[str, tuple], budget: int = BUDGET) -> list[dict]:
    """`budget` configurations of `knobs`, drawn without replacement, reproducibly by `name`."""
    grid = [dict(zip(knobs, values)) for values in itertools.product(*knobs.values())]
    if len(grid) <= budget:
        return grid
    seed = zlib.crc32(name.encode())  # one fixed draw per name, whatever else is tuned
    order = torch.randperm(len(grid), generator=torch.Generator().manual_seed(seed))
    return [grid[i] for i in sorted(order[:budget].tolist())]


def tune(
    archs=tuple(study.ARCHITECTURES),
    family: bool = True,
    *,
    budget: int = BUDGET,
    finalists: int = FINALISTS,
    **options,
) -> dict:
    """Both stages for each of `archs` (its `best` arm) and, with `family`, for the controlled
    table: {"best": {arch: outcome}, "controlled": outcome}, an outcome being {"chosen",
    "validation_error", "search", "final"}. `options` go to `validation_errors`."""
    # what each tuned name scores a configuration on: the (table, arm)s it trains
    scored = {arch: [(study.BEST.name, arch)] for arch in archs}
    spaces = {arch: space(arch) for arch in archs}
    if family:
        scored[FAMILY] = [(study.CONTROLLED.name, arm) for arm in study.FAMILY]
        spaces[FAMILY] = space()
    search = {name: candidates(name, knobs, budget) for name, knobs in spaces.items()}
    errors = _scores(search, scored, ROUNDS, SEED, options)
    final = {}
    for name, configs in search.items():
        ranked = sorted(zip(errors[name], configs), key=lambda e: e[0])
        final[name] = [config for _, config in ranked[:finalists]]
    final_errors = _scores(final, scored, FINAL_ROUNDS, FINAL_SEED, options)
    outcome = {}
    for name in search:
        best = min(range(len(final[name])), key=final_errors[name].__getitem__)
        outcome[name] = {"chosen": final[name][best], "validation_error": final_errors[name][best]}
        outcome[name]["search"] = _table(search[name], errors[name])
        outcome[name]["final"] = _table(final[name], final_errors[name])
    result = {"best": {arch: outcome[arch] for arch in archs}}
    return result | ({"controlled": outcome[FAMILY]} if family else {})


def _scores(configs, scored, rounds, seed, options) -> dict[str, list[float]]:
    """{name: [mean validation error over its scored arms, for each of its configs]}."""
    entries = [(t, a, c) for name, cs in configs.items() for c in cs for t, a in scored[name]]
    errors = iter(validation_errors(entries, rounds, seed, **options))
    return {
        name: [sum(next(errors) for _ in scored[name]) / len(scored[name]) for _ in cs]
        for name, cs in configs.items()
    }


def validation_errors(
    entries: list[tuple[str, str, dict]],
    rounds: int,
    seed: int,
    *,
    source: str = SOURCE,
    data_dir: str | None = None,
    jobs: int | None = None,
    progress: bool = False,
    done: Iterable[dict] = (),
    on_record: Callable[[dict], None] | None = None,
) -> list[float]:
    """Mean validation error over `rounds` rounds (seeds from `seed`) of each (table, arm,
    configuration) of `entries`, in their order.

    Every (entry, round) is one job: all of them run side by side on `jobs` workers. A job's
    record is {"table", "arch", "config", "seed", "validation_error"}: `done` holds records
    finished earlier (not run again), `on_record` is called with each new one at once.
    """
    finished = {_key(r["table"], r["arch"], r["config"], r["seed"]): r for r in done}
    keys = [(*entry, seed + r) for r in range(rounds) for entry in entries]
    todo = [k for k in keys if _key(*k) not in finished]

    def jobs_args():  # a round's pairs are drawn once, when its first job is sent
        for r in range(rounds):
            missing = [e for e in entries if _key(*e, seed + r) not in finished]
            if missing:
                pairs = draw_pairs(1000, seed + r, source, data_dir, VALIDATION)
            for table, arm, config in missing:
                name = f"{arm} ({table}) {config}, seed {seed + r}"
                yield name, (table, arm, config, seed + r, pairs)

    jobs = default_jobs() if jobs is None else jobs
    new = run_jobs(
        _job, jobs_args(), len(todo), jobs=jobs, progress=progress, desc="tuning",
        on_result=on_record,
    )  # fmt: skip
    finished |= {_key(*k): record for k, record in zip(todo, new)}
    sums = [0.0] * len(entries)
    for i, k in enumerate(keys):  # round-major: key i is entry i % len(entries)
        sums[i % len(entries)] += finished[_key(*k)]["validation_error"]
    return [s / rounds for s in sums]


def _key(table: str, arm: str, config: dict, seed: int) -> tuple[str, str, str, int]:
    return table, arm, dumps(config, sort_keys=True), seed


def _job(table: str, arm: str, config: dict, seed: int, pairs) -> dict:
    record = run_round(table, arm, 0, seed, pairs, epochs=EPOCHS, chosen=config)
    return {"table": table, "arch": arm, "config": config, "seed": seed} | {
        "validation_error": record.test_error
    }


def _table(configs: list[dict], errors: list[float]) -> list[dict]:
    return [{"config": c, "validation_error": e} for c, e in zip(configs, errors)]


def protocol(source: str = SOURCE) -> dict:
    """The tuning protocol, as tuned.json records it (and a resumed tuning must match)."""
    doc = {"budget": BUDGET, "rounds": ROUNDS, "validation": VALIDATION, "seed": SEED}
    doc |= {"finalists": FINALISTS, "final_rounds": FINAL_ROUNDS, "final_seed": FINAL_SEED}
    doc |= {"epochs": EPOCHS, "source": source, "space": COMMON, "head": HEAD, "aux": AUX}
    return doc | {"family": list(study.FAMILY), "family_space": space()}


def main(argv=None) -> int:
    """`python -m proj1.tuning [--archs ...] [--no-family]`: rerun the search, print it,
    update tuned.json.

    0 on success, 2 on bad arguments, 1 when a training fails, 128 + the signal's number
    when interrupted (the finished rounds kept in OUT/rounds.jsonl for --resume).
    """
    parser = argparse.ArgumentParser(prog="python -m proj1.tuning", description=__doc__)
    names = list(study.ARCHITECTURES)
    parser.add_argument(
        "--archs", nargs="+", default=names, help=f"architectures to tune alone: {', '.join(names)}"
    )
    parser.add_argument(
        "--no-family", action="store_true", help="do not tune the controlled family's one choice"
    )
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
        checks.names("--archs", args.archs, names, "architecture")
        if args.jobs is not None:
            checks.integer("--jobs", args.jobs, 1, usable_cores(), " (the usable cores)")
        outputs.check_folder(args.out, ["rounds.jsonl"], resume=args.resume, force=args.force)
        log = RecordLog(Path(args.out) / "rounds.jsonl", protocol(), resume=args.resume)
    except (ValueError, TypeError, OSError) as error:
        parser.error(str(error))
    try:
        with log, stop_on_signals():
            outcome = tune(
                args.archs, not args.no_family, jobs=args.jobs, progress=True,
                done=list(log.records), on_record=log.append,
            )  # fmt: skip
            before = study.tuned_document()
            doc = {"protocol": protocol(), "best": before.get("best", {}) | outcome["best"]}
            doc["controlled"] = outcome.get("controlled", before.get("controlled"))
            outputs.write_text(study.TUNED, dumps(doc, indent=1) + "\n")
            study.reload_tuned()
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
    rows = dict(outcome["best"])
    if "controlled" in outcome:
        rows["(family)"] = outcome["controlled"]
    for name, row in rows.items():
        print(f"{name:<17} {100 * row['validation_error']:5.2f} %  {row['chosen']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
