"""Kill rate per module and the surviving mutants of the last `mutmut run` (`make mutation`).

Reads mutmut's results (`mutants/**/*.py.meta`) and the mutants listed as equivalent in
`tests/EQUIVALENT_MUTANTS.md` (excluded from the rates). A mutant counts as killed when
a test failed or timed out under it (the timeouts are also shown on their own: on a busy
machine a slow run can pass for one); one that no test reaches, or whose tests could not
run, counts as survived.
Developer-only; run from the repository root: `python scripts/mutation_report.py`.
"""

import json
import re
import sys
from pathlib import Path

from mutmut.mutation.file_mutation import compute_function_hashes
from mutmut.stats import status_by_exit_code

GOAL = 0.90  # of the mutants killed in every module of minidl/ and in these of proj1/
PROJ1_GOAL = {"data", "idx", "download", "models", "training", "experiment", "stats", "report"}
EQUIVALENTS = Path("tests/EQUIVALENT_MUTANTS.md")
NAME = re.compile(r"`([\w.ǁ]+__mutmut_\d+)`(?: \[([0-9a-f]{12})\])?")
KILLED = {"killed", "timeout", "caught by type check"}


def function_hash(name: str) -> str | None:
    """mutmut's hash of the code of the function a mutant name points into (None: gone)."""
    module, function = re.fullmatch(r"(.+?)\.(x_.+|xǁ.+)__mutmut_\d+", name).groups()
    path = Path(module.replace(".", "/") + ".py")
    return compute_function_hashes(path.read_text()).get(function) if path.exists() else None


def equivalents() -> tuple[set[str], list[str]]:
    """Names listed in EQUIVALENT_MUTANTS.md whose function is unchanged, and the others."""
    valid, changed = set(), []
    text = EQUIVALENTS.read_text() if EQUIVALENTS.exists() else ""
    for name, judged in NAME.findall(text):
        if judged == function_hash(name):
            valid.add(name)
        else:
            changed.append(name)
    return valid, changed


def status(code: int | None) -> str:
    """mutmut's status of an exit code, but for 255, which mutmut counts as a timeout: its
    forked run exits with 255 when pytest could not run the tests at all (a test id it cannot
    find, an error in a plugin), and that kills nothing."""
    return "error: tests not run" if code == 255 else status_by_exit_code[code]


def results(root: Path = Path("mutants")) -> dict[str, dict[str, str]]:
    """{module path: {mutant name: status}} from mutmut's .meta files."""
    found = {}
    for meta in sorted(root.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if codes:
            module = str(meta.relative_to(root)).removesuffix(".meta")
            found[module] = {name: status(code) for name, code in codes.items()}
    return found


def main() -> int:
    by_module, (equivalent, changed) = results(), equivalents()
    if not by_module:
        print("no mutmut results under mutants/: run `make mutation`")
        return 1
    rows, survivors, not_run, stale = [], [], [], []
    # killed, counted, equivalent, timeouts (among the killed), over the goal modules
    totals = {"minidl": [0, 0, 0, 0], "proj1": [0, 0, 0, 0]}
    for module, statuses in by_module.items():
        killed = counted = eq = timeouts = 0
        for name, status in sorted(statuses.items()):
            if name in equivalent:
                eq += 1
                if status in KILLED:
                    stale.append(name)
                continue
            if status in ("not checked", "skipped"):
                not_run.append(name)
                continue
            counted += 1
            if status in KILLED:
                killed += 1
                timeouts += status == "timeout"
            else:
                survivors.append(f"{name}  ({status})")
        rows.append((module, killed, counted, eq, timeouts))
        package, stem = module.removesuffix(".py").split("/", 1)
        if package == "minidl" or stem in PROJ1_GOAL:
            totals[package] = [
                a + b for a, b in zip(totals[package], (killed, counted, eq, timeouts))
            ]
    print(f"\n{'module':<24}{'killed':>8}{'of':>6}{'rate':>9}{'equivalent':>12}{'timeouts':>10}")
    goal_rows = [(f"{k}/ (goal modules)", *v) for k, v in totals.items()]
    for module, killed, counted, eq, timeouts in rows + goal_rows:
        rate = f"{100 * killed / counted:.1f} %" if counted else "-"
        print(f"{module:<24}{killed:>8}{counted:>6}{rate:>9}{eq:>12}{timeouts:>10}")
    print(f"\nsurviving mutants ({len(survivors)}; `.venv/bin/mutmut show NAME` prints one):")
    print("\n".join(f"  {s}" for s in survivors) or "  none")
    if not_run:
        print(f"\n{len(not_run)} mutants not checked (interrupted run?)")
    if changed:
        print(
            "\nlisted as equivalent, but the function changed since (judge again, update the hash):"
        )
        print("\n".join(f"  {s}" for s in changed))
    if stale:
        print("\nlisted as equivalent but killed (remove from the list):")
        print("\n".join(f"  {s}" for s in stale))
    for package, (killed, counted, *_) in totals.items():
        if counted:
            met = "met" if killed >= GOAL * counted else "NOT met"
            rate = 100 * killed / counted
            print(
                f"{package}: {rate:.1f} % killed in its goal modules, goal {100 * GOAL:.0f} % {met}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
