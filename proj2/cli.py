"""`python -m proj2`: train the disk task over rounds, check every gradient, time an epoch
three ways; print the results and write results.json, disk.png, report.md and report.pdf."""

import argparse
import sys
from pathlib import Path

import typeset
from minidl import disk
from proj1 import outputs
from proj1.optional import plotting
from proj2 import writeup
from proj2.speed import TIMING
from proj2.study import Study, one_thread_no_grad, run_round, run_study


def positive(text: str) -> int:
    """argparse type: an integer >= 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line of `python -m proj2`."""
    p = argparse.ArgumentParser(
        prog="python -m proj2",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--rounds", type=positive, default=10, help="rounds of the disk task")
    p.add_argument("--epochs", type=positive, default=disk.EPOCHS, help="epochs per round")
    p.add_argument("--seed", type=int, default=disk.SEED, help="round r uses seed + r")
    p.add_argument("--out", type=Path, default=Path("results/proj2"), help="output folder")
    p.add_argument("--no-speed", action="store_true", help="skip the speed comparison")
    return p


def write_report(study: Study, out: Path) -> list[Path]:
    """Write results.json, disk.png (with matplotlib), report.md and report.pdf (with typst)
    of `study` into `out`; the paths written."""
    written = [study.save(out / "results.json")]
    plots, figure = plotting("proj2.plots"), None
    if plots is not None:
        c = study.config
        with one_thread_no_grad():  # its first round again, as it ran
            _, net, test_set = run_round(c["seed"], c["epochs"])
        plots.plot_disk(study.rounds, net, test_set, out / "disk.png")
        figure = "disk.png"
        written.append(out / figure)
    document = writeup.document(study, figure)
    written.append(outputs.write_text(out / "report.md", typeset.markdown(document)))
    pdf = typeset.compile_pdf(typeset.typst(document), out)
    if pdf is not None:
        written.append(outputs.write_bytes(out / "report.pdf", pdf))
    return written


def main(argv: list[str] | None = None) -> int:
    """Run the study and write its report; 0 on success, 2 on bad arguments."""
    args = parser().parse_args(argv)
    study = run_study(args.rounds, args.epochs, args.seed, timing=None if args.no_speed else TIMING)
    s = study.summary()
    print(f"disk task: {study.config['rounds']} x {study.config['epochs']} (rounds x epochs), "
          f"seeds from {args.seed}")  # fmt: skip
    for which in ("train", "test"):
        mean, std = s[f"{which}_error_mean"], s[f"{which}_error_std"]
        print(f"  {which} error {writeup.percent(mean, std)} %")
    bad = [r["module"] for r in study.gradients if not r["ok"]]
    print(f"gradient check: {len(study.gradients) - len(bad)} of {len(study.gradients)} ok")
    for name, ms in (study.speed or {}).items():
        print(f"  {name:<34} {ms:8.3f} ms / epoch")
    written = write_report(study, args.out)
    print("wrote " + ", ".join(str(w) for w in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
