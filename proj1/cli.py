"""`python -m proj1`: run the comparison, print the tables, write JSON, figures, report.md and
report.pdf."""

import argparse
import json
import sys
from pathlib import Path

import typeset
from proj1.experiment import ARCH_NAMES, STUDY, run_experiment
from proj1.jobs import JobError
from proj1.optional import optional
from proj1.report import effects_table, summary_table
from proj1.training import check_device

# One thread per job, measured on this 2-core machine: two threads make a round ~1.3x faster
# when the machine is idle, but 5-40x slower (9-67 s instead of 2 s) as soon as another
# process runs, as the two threads spin waiting for each other. Cores are used by running
# jobs side by side in worker processes instead (--jobs).
THREADS = 1


def positive(text: str) -> int:
    """argparse type: an integer >= 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line of `python -m proj1`."""
    p = argparse.ArgumentParser(
        prog="python -m proj1",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument(
        "--archs",
        nargs="+",
        default=list(STUDY),
        choices=ARCH_NAMES,
        metavar="ARCH",
        help=f"architectures, any of: {', '.join(ARCH_NAMES)}",
    )
    p.add_argument("--rounds", type=positive, default=10, help="rounds per architecture")
    p.add_argument("--epochs", type=positive, default=25, help="training epochs per round")
    p.add_argument("--source", default="auto", help="auto | mnist | mnist-5k")
    p.add_argument("--data-dir", default=None, help="root of the MNIST files")
    p.add_argument("--device", default="cpu", help="cpu | cuda")
    p.add_argument("--seed", type=int, default=0, help="round r uses seed + r")
    p.add_argument(
        "--jobs",
        type=positive,
        default=None,
        help="worker processes training side by side (default: one per usable core, "
        "fewer when memory is short, 1 on cuda)",
    )
    p.add_argument("--threads", type=positive, default=THREADS, help="torch CPU threads per job")
    p.add_argument("--out", type=Path, default=Path("results/proj1"), help="output folder")
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
    return p


def figure_module():
    """`proj1.plots` drawing to files only, or None when matplotlib is not installed."""
    matplotlib = optional("matplotlib", "no figures")
    if matplotlib is None:
        return None
    matplotlib.use("Agg")  # files only: no display needed
    from proj1 import plots

    return plots


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; 0 on success, 2 with a one-line message on bad arguments."""
    p = parser()
    args = p.parse_args(argv)
    try:
        check_device(args.device)
    except ValueError as error:
        p.error(str(error))
    curves = not (args.no_curves or args.no_save)
    try:
        result = run_experiment(
            args.archs,
            args.rounds,
            args.epochs,
            args.source,
            args.data_dir,
            args.device,
            args.seed,
            curves=curves,
            progress=True,
            jobs=args.jobs,
            threads=args.threads,
        )
    except (ValueError, FileNotFoundError) as error:
        p.error(str(error))
    except JobError as error:  # a training failed: not the arguments' fault, exit 1
        print(f"error: {error}", file=sys.stderr)
        return 1
    nb, last = result.config["nb"], args.seed + args.rounds - 1
    print(
        f"\ndata source: {result.source}; {args.rounds} rounds x {args.epochs} epochs, "
        f"{nb} train / {nb} test pairs; seeds {args.seed}..{last}"
    )
    print(summary_table(result.summary))
    if result.effects:
        print("\n" + effects_table(result.effects))
    if args.no_save:
        return 0
    from proj1 import writeup

    plots = figure_module()
    written = [result.save(args.out / "results.json")]
    if plots is not None:
        plots.plot_errors(result.rounds, args.out / "errors.png", source=result.source)
        written.append(args.out / "errors.png")
        if curves:
            plots.plot_curves(result.rounds, args.out / "curves.png")
            written.append(args.out / "curves.png")
    document = writeup.document(result, "errors.png" if plots is not None else None)
    (args.out / "report.md").write_text(typeset.markdown(document))
    written.append(args.out / "report.md")
    pdf = typeset.write_pdf(typeset.typst(document), args.out / "report.pdf")
    written += [pdf] if pdf is not None else []
    if args.aux_sweep:
        from proj1.sweep import aux_weight_sweep

        print("\naux-weight sweep on 800 train / 200 validation pairs ...", flush=True)
        rows = aux_weight_sweep(
            rounds=args.rounds,
            epochs=args.epochs,
            source=args.source,
            data_dir=args.data_dir,
            device=args.device,
            seed=args.seed,
            progress=True,
            jobs=args.jobs,
            threads=args.threads,
        )
        (args.out / "aux_sweep.json").write_text(json.dumps(rows, indent=1))
        written.append(args.out / "aux_sweep.json")
        if plots is not None:
            plots.plot_aux_sweep(rows, args.out / "aux_sweep.png")
            written.append(args.out / "aux_sweep.png")
    print("\nwrote " + ", ".join(str(w) for w in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
