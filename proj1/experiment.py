"""Rounds of data draw + init + training per architecture, summarised; JSON save and load.

Round `r` draws its pairs and initialises its networks from seed `seed + r`; every
architecture of a round sees the same pairs, so differences between them can be paired.
Each (architecture, round) is an independent job: `jobs` worker processes train them side
by side, with results identical, bit for bit, to one job at a time.
"""

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import torch

from proj1 import checks, data
from proj1.jobs import default_jobs, run_jobs
from proj1.models import ARCHITECTURES, build, count_parameters
from proj1.outputs import write_text
from proj1.records import dumps
from proj1.stats import effects, summarise
from proj1.training import evaluate, train
from proj1.tuning import settings

SIX = ("mlp", "cnn", "split", "split_aux", "siamese", "siamese_aux")
# the default study: the six, the equal-encoder control of sharing, and the two best additions
STUDY = (*SIX[:4], "split_wide", "split_wide_aux", *SIX[4:], "siamese_exact", "siamese_exact_bn")

# name -> (network in models.ARCHITECTURES, training options): the same network, trained differently
VARIANTS: dict[str, tuple[str, dict]] = {
    "siamese_aux_swap": ("siamese_aux", {"swap": True}),
    "siamese_exact_swap": ("siamese_exact", {"swap": True}),
    "siamese_exact_shift": ("siamese_exact", {"shift": 1}),
}
ARCH_NAMES = (*ARCHITECTURES, *VARIANTS)
# What a record depends on besides its architecture and seed: a resumed run must match them.
IDENTITY = ("source", "epochs", "nb", "validation", "device", "threads", "curves")
IDENTITY += ("model_options", "train_options")


def check_archs(archs) -> list[str]:
    """`archs` as a list; ValueError naming the choices for an unknown or repeated one."""
    return checks.names("archs", archs, ARCH_NAMES, "architecture")


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
    arch: str,
    seed: int,
    pairs,
    *,
    epochs: int = 25,
    device: str = "cpu",
    curves: bool = False,
    model_options: dict | None = None,
    train_options: dict | None = None,
) -> dict:
    """Init `arch` from `seed`, train on `pairs` = draw_pairs(...), return the round's record.

    The network and its training use `arch`'s tuned settings (`proj1.tuning.settings`),
    updated by `model_options` (for `models.build`) and `train_options` (`training.train`).
    """
    network, variant = VARIANTS.get(arch, (arch, {}))
    tuned_model, tuned_train = settings(network)
    model_options = tuned_model | (model_options or {})
    options = tuned_train | variant | (train_options or {})
    (x, t, c), (x_test, t_test, _) = pairs
    torch.manual_seed(seed)
    model = build(network, **model_options)
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
        **options,
    )
    if checks.device(device).type == "cuda":
        torch.cuda.synchronize()  # kernels run asynchronously: time them to completion
    seconds = time.perf_counter() - start
    train_errors = evaluate(model, x, t, normaliser=history.normaliser)
    test_errors = evaluate(model, x_test, t_test, normaliser=history.normaliser)
    return {
        "arch": arch,
        "seed": seed,
        "params": count_parameters(model),
        "train_error": train_errors.comparison,
        "test_error": test_errors.comparison,
        "digit_error": test_errors.digits,
        "seconds": seconds,
        "settings": model_options | options,
        "history": {
            "loss": history.loss,
            "train_error": history.train_error,
            "test_error": history.test_error,
        },
    }


@dataclass
class Result:
    """Per-round records (`rounds`) with their per-architecture `summary` and `effects`."""

    source: str
    config: dict
    rounds: list[dict] = field(default_factory=list)

    @property
    def summary(self) -> list[dict]:
        """One dict per architecture: params, rounds, error mean/std/min/max, s/round."""
        return summarise(self.rounds)

    @property
    def effects(self) -> list[dict]:
        """Paired effect sizes of sharing, aux loss, and the additions (see stats.EFFECTS)."""
        return effects(self.rounds)

    def save(self, path: str | Path) -> Path:
        """Write the result as JSON (summary and effects included, for other readers),
        atomically: an interrupted save leaves the previous file, never half a file."""
        doc = {"source": self.source, "config": self.config, "summary": self.summary}
        doc |= {"effects": self.effects, "rounds": self.rounds}
        return write_text(path, dumps(doc, indent=1))

    @classmethod
    def load(cls, path: str | Path) -> "Result":
        """Read a result written by `save`."""
        doc = json.loads(Path(path).read_text())
        return cls(doc["source"], doc["config"], doc["rounds"])


def configure(
    archs=STUDY,
    rounds: int = 10,
    epochs: int = 25,
    source: str = "auto",
    data_dir: str | None = None,
    device: str = "cpu",
    seed: int = 0,
    *,
    nb: int = 1000,
    validation: int = 0,
    curves: bool = False,
    model_options: dict | None = None,
    train_options: dict | None = None,
    jobs: int | None = None,
    threads: int = 1,
) -> dict:
    """The config of a `run_experiment` call, every argument checked first (source resolved,
    data read): ValueError or TypeError naming the argument, before any training."""
    archs = check_archs(archs)
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
    for name, options in (("model_options", model_options), ("train_options", train_options)):
        if options is not None and not isinstance(options, dict):
            raise TypeError(f"{name} must be a dict or None, got {options!r}")
    config = {"archs": archs, "rounds": rounds, "epochs": epochs, "seed": seed, "nb": nb}
    config |= {"device": str(device), "evaluated_on": "validation" if validation else "test"}
    config |= {"validation": validation, "train_options": train_options or {}}
    config |= {"model_options": model_options or {}}
    return config | {"source": source, "curves": bool(curves), "threads": threads}


def run_experiment(
    archs=STUDY,
    rounds: int = 10,
    epochs: int = 25,
    source: str = "auto",
    data_dir: str | None = None,
    device: str = "cpu",
    seed: int = 0,
    *,
    nb: int = 1000,
    validation: int = 0,
    curves: bool = False,
    model_options: dict | None = None,
    train_options: dict | None = None,
    progress: bool = False,
    jobs: int | None = None,
    threads: int = 1,
    done: Iterable[dict] = (),
    on_record: Callable[[dict], None] | None = None,
) -> Result:
    """Train every arch for `rounds` rounds (round r: seed + r) on `nb` pairs; a `Result`.

    `curves` also records the test (or validation) error after every epoch (~30 % slower);
    `model_options` (dropout, softmax) and `train_options` (lr, aux_weight, ...) override
    each architecture's tuned settings (`proj1.tuning.settings`).
    `jobs` worker processes train side by side (default: one per usable core, see
    `proj1.jobs.default_jobs`; 1 trains in this process), each with `threads` torch threads.
    `done` holds records finished earlier (a run with the same `IDENTITY` settings, e.g.
    read back from `proj1.records.RecordLog`): their (arch, seed) are not trained again.
    `on_record(record)` is called with each new record as soon as it is finished.
    Every argument is checked before any training (`configure`).
    """
    config = configure(
        archs, rounds, epochs, source, data_dir, device, seed, nb=nb, validation=validation,
        curves=curves, model_options=model_options, train_options=train_options, jobs=jobs,
        threads=threads,
    )  # fmt: skip
    archs, source = config["archs"], config.pop("source")
    finished = {(r["arch"], r["seed"]): r for r in done}
    keys = [(arch, seed + r) for r in range(rounds) for arch in archs]
    todo = [k for k in keys if k not in finished]
    options = dict(epochs=epochs, device=device, curves=curves)
    options |= {"model_options": model_options, "train_options": train_options}

    def jobs_args():  # lazily: a round's pairs are drawn once, when its first job is sent
        for r in range(rounds):
            missing = [arch for arch in archs if (arch, seed + r) not in finished]
            if missing:
                pairs = draw_pairs(nb, seed + r, source, data_dir, validation)
            for arch in missing:
                yield f"{arch}, round {r} (seed {seed + r})", (arch, r, seed + r, pairs, options)

    jobs = default_jobs(device) if jobs is None else jobs
    new = run_jobs(
        _round_job, jobs_args(), len(todo), jobs=jobs, threads=threads, progress=progress,
        desc="rounds", on_result=on_record,
    )  # fmt: skip
    finished |= dict(zip(todo, new))
    return Result(source, config, [_numbered(finished[key], key[1] - seed) for key in keys])


def _round_job(arch: str, r: int, seed: int, pairs, options: dict) -> dict:
    return _numbered(run_round(arch, seed, pairs, **options), r)


def _numbered(record: dict, r: int) -> dict:
    """`record` with its round number first (a record read back may come from another base seed)."""
    return {"round": r} | {k: v for k, v in record.items() if k != "round"}
