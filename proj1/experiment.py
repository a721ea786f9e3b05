"""Rounds of the study: round r draws its pairs and initialises its networks from seed + r,
then trains the arms of the tables asked for (`proj1.study`) on them.

Every arm of a round sees the same pairs, so differences between arms can be paired. Each
(table, arm, round) is an independent job: `jobs` worker processes train them side by side,
with results identical, bit for bit, to one job at a time.
"""

import dataclasses
import time
from collections.abc import Callable, Iterable

import torch

from proj1 import checks, data, study
from proj1.jobs import default_jobs, run_jobs
from proj1.models import count_parameters
from proj1.results import Result, Round
from proj1.training import evaluate, train

# What a record depends on besides its table, arm and seed: a resumed run must match them.
IDENTITY = ("source", "epochs", "nb", "validation", "device", "threads", "curves", "overrides")


def check_arms(tables, archs=None) -> dict[str, list[str]]:
    """{table: its arms to run}: every arm of `tables`, or those named in `archs` (each in
    one of them at least); ValueError naming the choices for an unknown or repeated name."""
    tables = checks.names("tables", tables, study.TABLES, "table")
    choices = study.arm_names(tables)
    names = choices if archs is None else checks.names("archs", archs, choices, "arm")
    return {t: [a.name for a in study.TABLES[t].arms if a.name in names] for t in tables}


def draw_pairs(nb: int, seed: int, source: str, data_dir: str | None, validation: int = 0):
    """(train, evaluation) triples (input, target, classes) of a round, drawn from `seed`.

    With `validation` > 0 the evaluation pairs are the last `validation` training pairs
    (the rest are trained on) and the test pairs are never used.
    """
    generator = torch.Generator().manual_seed(seed)
    sets = data.generate_pair_sets(nb, source=source, data_dir=data_dir, generator=generator)
    train_set, test_set = sets[:3], sets[3:]
    if validation:
        cut = nb - validation
        train_set, test_set = [t[:cut] for t in train_set], [t[cut:] for t in train_set]
    return train_set, test_set


def run_round(
    table: str,
    arm: str,
    r: int,
    seed: int,
    pairs,
    *,
    epochs: int = 25,
    device: str = "cpu",
    curves: bool = False,
    chosen: dict | None = None,
    overrides: dict | None = None,
) -> Round:
    """Init arm `arm` of `table` from `seed`, train it on `pairs` = draw_pairs(...) as round
    `r`, and return its `Round`.

    It trains with its settings (`study.settings`: the tuned ones, or `chosen`), updated
    by `overrides` (network options such as dropout, training options such as aux_weight).
    """
    settings = study.settings(table, arm, chosen) | (overrides or {})
    model_options, train_options = study.split_options(settings)
    (x, t, c), (x_test, t_test, _) = pairs
    torch.manual_seed(seed)
    model = study.build(study.TABLES[table].arm(arm).network, **model_options)
    start = time.perf_counter()
    history = train(
        model,
        x,
        t,
        c,
        epochs=epochs,
        test=(x_test, t_test) if curves else None,
        generator=torch.Generator().manual_seed(seed),
        device=device,
        **train_options,
    )
    if checks.device(device).type == "cuda":
        torch.cuda.synchronize()  # kernels run asynchronously: time them to completion
    seconds = time.perf_counter() - start
    train_errors = evaluate(model, x, t, normaliser=history.normaliser)
    test_errors = evaluate(model, x_test, t_test, normaliser=history.normaliser)
    return Round(
        table,
        arm,
        r,
        seed,
        count_parameters(model),
        train_errors.comparison,
        test_errors.comparison,
        test_errors.digits,
        seconds,
        settings,
        {k: getattr(history, k) for k in ("loss", "train_error", "test_error")},
    )


def configure(
    archs=None,
    rounds: int = 10,
    epochs: int = 25,
    source: str = "auto",
    data_dir: str | None = None,
    device: str = "cpu",
    seed: int = 0,
    *,
    tables=tuple(study.TABLES),
    nb: int = 1000,
    validation: int = 0,
    curves: bool = False,
    overrides: dict | None = None,
    jobs: int | None = None,
    threads: int = 1,
) -> dict:
    """The config of a `run_experiment` call, every argument checked first (source resolved,
    data read): ValueError or TypeError naming the argument, before any training."""
    arms = check_arms(tables, archs)
    checks.integer("rounds", rounds, 1, checks.MAX_ROUNDS)
    checks.integer("epochs", epochs, 1, checks.MAX_EPOCHS)
    checks.seeds(seed, rounds)
    device = checks.device(device)
    if jobs is not None:
        checks.integer("jobs", jobs, 1)
    checks.integer("threads", threads, 1)
    source = data.resolve_source(source, data_dir)
    limit = data.max_pairs(source, data_dir)  # reads the files: damage shows here
    checks.integer("nb", nb, 1, limit)
    checks.integer("validation", validation, 0, nb - 1)
    if overrides is not None and not isinstance(overrides, dict):
        raise TypeError(f"overrides must be a dict or None, got {overrides!r}")
    config = {"arms": arms, "rounds": rounds, "epochs": epochs, "seed": seed, "nb": nb}
    config |= {"device": str(device), "evaluated_on": "validation" if validation else "test"}
    config |= {"validation": validation, "overrides": overrides or {}}
    return config | {"source": source, "curves": bool(curves), "threads": threads}


def run_experiment(
    archs=None,
    rounds: int = 10,
    epochs: int = 25,
    source: str = "auto",
    data_dir: str | None = None,
    device: str = "cpu",
    seed: int = 0,
    *,
    tables=tuple(study.TABLES),
    nb: int = 1000,
    validation: int = 0,
    curves: bool = False,
    overrides: dict | None = None,
    progress: bool = False,
    jobs: int | None = None,
    threads: int = 1,
    done: Iterable[Round | dict] = (),
    on_record: Callable[[Round], None] | None = None,
) -> Result:
    """Train the arms of `tables` (all, or those named in `archs`) for `rounds` rounds
    (round r: seed + r) on `nb` pairs; a `Result`.

    `curves` also records the test (or validation) error after every epoch (~30 % slower);
    `overrides` (dropout, lr, aux_weight, ...) replace those of every arm's settings.
    `jobs` worker processes train side by side (default: one per usable core, see
    `proj1.jobs.default_jobs`; 1 trains in this process), each with `threads` torch threads.
    `done` holds records finished earlier (a run with the same `IDENTITY` settings, e.g.
    read back from `proj1.records.RecordLog`): their (table, arm, seed) are not trained
    again. `on_record(record)` is called with each new record as soon as it is finished.
    Every argument is checked before any training (`configure`).
    """
    config = configure(
        archs, rounds, epochs, source, data_dir, device, seed, tables=tables, nb=nb,
        validation=validation, curves=curves, overrides=overrides, jobs=jobs, threads=threads,
    )  # fmt: skip
    source = config.pop("source")
    arms = [(table, arm) for table, names in config["arms"].items() for arm in names]
    finished = {_key(r): r for r in map(as_round, done)}
    keys = [(table, arm, seed + r) for r in range(rounds) for table, arm in arms]
    todo = [k for k in keys if k not in finished]
    options = dict(epochs=epochs, device=device, curves=curves, overrides=overrides)

    def jobs_args():  # lazily: a round's pairs are drawn once, when its first job is sent
        for r in range(rounds):
            missing = [(t, a) for t, a in arms if (t, a, seed + r) not in finished]
            if missing:
                pairs = draw_pairs(nb, seed + r, source, data_dir, validation)
            for table, arm in missing:
                name = f"{arm} ({table}), round {r} (seed {seed + r})"
                yield name, (table, arm, r, seed + r, pairs, options)

    jobs = default_jobs(device) if jobs is None else jobs
    new = run_jobs(
        _round_job, jobs_args(), len(todo), jobs=jobs, threads=threads, progress=progress,
        desc="rounds", on_result=on_record,
    )  # fmt: skip
    finished |= dict(zip(todo, new))
    rounds_ = [dataclasses.replace(finished[k], round=k[2] - seed) for k in keys]
    return Result(source, config, rounds_)


def as_round(record: Round | dict) -> Round:
    """A record as a `Round` (records read back from JSON are dicts)."""
    return record if isinstance(record, Round) else Round(**record)


def _key(record: Round) -> tuple[str, str, int]:
    return record.table, record.arch, record.seed


def _round_job(table: str, arm: str, r: int, seed: int, pairs, options: dict) -> Round:
    return run_round(table, arm, r, seed, pairs, **options)
