"""`python -m proj1`: run the comparison, print the tables, write JSON, figures, report.md and
report.pdf.

Every option is checked before any training: a usage error is one line naming the option,
the value and what is expected, with exit status 2. Each finished round is appended to
`OUT/rounds.jsonl` the moment it finishes; Ctrl-C or SIGTERM stops the workers, keeps
those rounds and says so in one line, and `--resume` continues the run to the records an
uninterrupted run gives. The other outputs are written atomically once the rounds are done.
"""

import argparse
import sys
from pathlib import Path

import typeset
from proj1 import checks, outputs, study, tables
from proj1.data import SOURCES
from proj1.experiment import IDENTITY, configure, run_experiment
from proj1.interrupts import Interrupted, stop_on_signals
from proj1.jobs import JobError, usable_cores
from proj1.optional import plotting
from proj1.records import RecordLog, dumps

# One thread per job, measured on this 2-core machine: two threads make a round ~1.3x faster
# when the machine is idle, but 5-40x slower (9-67 s instead of 2 s) as soon as another
# process runs, as the two threads spin waiting for each other. Cores are used by running
# jobs side by side in worker processes instead (--jobs).
THREADS = 1
LOG, SWEEP_LOG = "rounds.jsonl", "aux_sweep.jsonl"
# everything a run may write into --out: what a rerun replaces, removes or refuses to mix
OUTPUTS = (LOG, "results.json", "report.md", "report.pdf", SWEEP_LOG, "aux_sweep.json")
OUTPUTS += ("aux_sweep.png",)
OUTPUTS += tuple(f"{kind}_{t}.png" for t in study.TABLES for kind in ("errors", "curves"))
ARMS = study.arm_names(study.TABLES)


def parser() -> argparse.ArgumentParser:
    """The command line of `python -m proj1`."""
    p = argparse.ArgumentParser(
        prog="python -m proj1",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument(
        "--tables",
        nargs="+",
        default=list(study.TABLES),
        metavar="TABLE",
        help=f"tables of the study to run, any of: {', '.join(study.TABLES)}",
    )
    p.add_argument(
        "--archs",
        nargs="+",
        default=None,
        metavar="ARM",
        help=f"only these arms of the tables (default: all), any of: {', '.join(ARMS)}",
    )
    p.add_argument(
        "--rounds", type=int, default=10, help=f"rounds per architecture, 1..{checks.MAX_ROUNDS}"
    )
    p.add_argument(
        "--epochs", type=int, default=25, help=f"training epochs per round, 1..{checks.MAX_EPOCHS}"
    )
    p.add_argument("--source", default="auto", choices=SOURCES, help="where the digits come from")
    p.add_argument("--data-dir", default=None, help="root of the MNIST files (an existing folder)")
    p.add_argument("--device", default="cpu", help=checks.DEVICES)
    p.add_argument("--seed", type=int, default=0, help="round r uses seed + r (0..2**63 - 1)")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes training side by side, at most one per usable core (default: "
        "one per usable core, fewer when memory is short, 1 on cuda)",
    )
    p.add_argument("--threads", type=int, default=THREADS, help="torch CPU threads per job")
    p.add_argument("--out", default="results/proj1", help="output folder")
    p.add_argument("--no-save", action="store_true", help="print only, write nothing")
    p.add_argument(
        "--no-curves",
        action="store_true",
        help="skip the per-epoch test error (~30%% faster, no learning curves)",
    )
    p.add_argument(
        "--aux-sweep",
        action="store_true",
        help="also sweep the aux-loss weight on a validation split (+ figure)",
    )
    again = p.add_mutually_exclusive_group()
    again.add_argument(
        "--resume",
        action="store_true",
        help="continue the run whose rounds are in --out (the same options; more --rounds "
        "or --archs add rounds)",
    )
    again.add_argument(
        "--force", action="store_true", help="replace the outputs of another run in --out"
    )
    return p


def check_options(args: argparse.Namespace) -> dict:
    """The run's config (`experiment.configure`) once every option is checked: ValueError,
    TypeError or OSError naming the option, the value and what is expected."""
    cores = usable_cores()
    checks.integer("--rounds", args.rounds, 1, checks.MAX_ROUNDS)
    checks.integer("--epochs", args.epochs, 1, checks.MAX_EPOCHS)
    checks.seeds(args.seed, args.rounds, "--seed")
    checks.names("--tables", args.tables, study.TABLES, "table")
    if args.archs is not None:
        checks.names("--archs", args.archs, study.arm_names(args.tables), "arm")
    checks.device(args.device, "--device")
    if args.jobs is not None:
        checks.integer("--jobs", args.jobs, 1, cores, " (the usable cores)")
    checks.integer("--threads", args.threads, 1, cores, " (the usable cores)")
    if args.data_dir is not None and not (args.data_dir and Path(args.data_dir).is_dir()):
        raise ValueError(f"--data-dir must be an existing folder, got {args.data_dir!r}")
    if args.no_save and (args.resume or args.force):
        raise ValueError(
            f"--{'resume' if args.resume else 'force'} needs saved rounds: drop --no-save"
        )
    if args.no_save and args.aux_sweep:
        raise ValueError("--aux-sweep writes its results into --out: drop --no-save")
    config = configure(
        args.archs, args.rounds, args.epochs, args.source, args.data_dir, args.device,
        args.seed, tables=args.tables, curves=curves(args), jobs=args.jobs, threads=args.threads,
    )  # fmt: skip
    if not args.no_save:
        outputs.check_folder(args.out, OUTPUTS, resume=args.resume, force=args.force)
    return config


def curves(args: argparse.Namespace) -> bool:
    """Whether the rounds record their per-epoch test error (for curves.png)."""
    return not (args.no_curves or args.no_save)


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; 0 on success, 2 with a one-line message on bad arguments,
    1 when a training fails, 128 + the signal's number when interrupted."""
    p = parser()
    args = p.parse_args(argv)
    logs = []
    try:
        with stop_on_signals():
            try:
                config = check_options(args)
                logs = [] if args.no_save else _open_logs(args, {k: config[k] for k in IDENTITY})
            except (ValueError, TypeError, OSError) as error:
                p.error(str(error))
            return _run(args, *logs)
    except Interrupted as stop:
        print(f"interrupted by {stop.name}; {_kept(logs)}", file=sys.stderr)
        return stop.exit_status
    except (JobError, OSError) as error:  # a training or a write failed: exit 1
        print(f"error: {error}; {_kept(logs)}", file=sys.stderr)
        return 1
    finally:
        for log in logs:
            log.close()


def _open_logs(args: argparse.Namespace, identity: dict) -> list[RecordLog]:
    """The record logs of the run (and of its sweep), read back with --resume, refused when
    they hold another configuration's rounds; --force first removes the old outputs."""
    out = Path(args.out)
    identities = [identity]
    if args.aux_sweep:
        from proj1 import sweep

        identities.append(
            identity
            | {"validation": sweep.VALIDATION, "curves": False}
            | {"archs": list(sweep.ARCHS), "weights": list(sweep.WEIGHTS)}
        )
    if args.resume:  # every log checked before any is opened for writing
        for name, each in zip((LOG, SWEEP_LOG), identities):
            RecordLog.check(out / name, each)
    if args.force:
        outputs.remove_stale(out, OUTPUTS, written=())
    return [
        RecordLog(out / name, each, resume=args.resume)
        for name, each in zip((LOG, SWEEP_LOG), identities)
    ]


def _kept(logs: list[RecordLog]) -> str:
    """What an interrupted or failed run leaves, and how to continue it."""
    if not logs:
        return "nothing was saved"
    kept = ", ".join(f"{len(log.records)} in {log.path}" for log in logs)
    return f"the finished rounds are kept ({kept}); rerun with --resume to continue"


def _run(args: argparse.Namespace, log: RecordLog | None = None, sweep_log=None) -> int:
    result = run_experiment(
        args.archs,
        args.rounds,
        args.epochs,
        args.source,
        args.data_dir,
        args.device,
        args.seed,
        tables=args.tables,
        curves=curves(args),
        progress=True,
        jobs=args.jobs,
        threads=args.threads,
        done=list(log.records) if log else (),
        on_record=log.append if log else None,
    )
    nb, last = result.config["nb"], args.seed + args.rounds - 1
    print(
        f"\ndata source: {result.source}; {args.rounds} rounds x {args.epochs} epochs, "
        f"{nb} train / {nb} test pairs; seeds {args.seed}..{last}"
    )
    for name in result.tables:
        table = study.TABLES[name]
        print(f"\n== {table.title} ({name}): {table.question}\n")
        print(tables.text(tables.summary_table(result.summaries[name])))
        if result.effects[name]:
            print("\n" + tables.effects_text(result.effects[name]))
    if log is None:
        return 0
    from proj1 import report

    plots = plotting("proj1.plots")
    out = Path(args.out)
    written = [outputs.write_text(out / "results.json", result.to_json())]
    figures = {}
    for name in result.tables if plots is not None else ():
        rounds = result.table_rounds(name)
        figures[name] = f"errors_{name}.png"
        plots.plot_errors(rounds, out / figures[name], source=result.source, table=name)
        written.append(out / figures[name])
        if curves(args):
            plots.plot_curves(rounds, out / f"curves_{name}.png")
            written.append(out / f"curves_{name}.png")
    document = report.document(result, figures)
    written.append(outputs.write_text(out / "report.md", typeset.markdown(document)))
    pdf = typeset.compile_pdf(typeset.typst(document), out)
    if pdf is not None:
        written.append(outputs.write_bytes(out / "report.pdf", pdf))
    if sweep_log is not None:
        from proj1 import sweep

        print(f"\naux-weight sweep on validation pairs ({sweep.VALIDATION} of each round) ...")
        rows = sweep.aux_weight_sweep(
            rounds=args.rounds,
            epochs=args.epochs,
            source=args.source,
            data_dir=args.data_dir,
            device=args.device,
            seed=args.seed,
            progress=True,
            jobs=args.jobs,
            threads=args.threads,
            done=list(sweep_log.records),
            on_record=sweep_log.append,
        )
        written.append(outputs.write_text(out / "aux_sweep.json", dumps(rows, indent=1)))
        if plots is not None:
            plots.plot_aux_sweep(rows, out / "aux_sweep.png")
            written.append(out / "aux_sweep.png")
    logs = [each.path for each in (log, sweep_log) if each is not None]
    outputs.remove_stale(out, OUTPUTS, written + logs)
    print(
        "\nwrote "
        + ", ".join(str(w) for w in written)
        + f" (rounds in {', '.join(map(str, logs))})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
