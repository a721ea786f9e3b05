"""Do two runs print the same tables? `python scripts/same_tables.py [--within] A B`.

A and B hold the standard output of runs in two environments (`make test-vm`: the full
requirements.txt and torch alone). Every line must be the same (with `--within`: every line
of A must be a line of B, A being a part of B's run) but the timing columns (`s/round`),
which are blanked where a table's header names them; the rules under the headers and the
cells' padding go too, as they follow the widths of other rows. Exit 1 with a diff when
anything else differs.
"""

import difflib
import re
import sys
from pathlib import Path

TIMINGS = ("s/round",)
COLUMNS = re.compile(r"\S+(?: \S+)*")  # cells: runs of text with single spaces inside


def normalised(text: str) -> list[str]:
    """The lines of `text` with timing cells blanked, column padding and rules removed."""
    lines, blank = [], set()
    for line in text.splitlines():
        cells = COLUMNS.findall(line)
        if not cells:
            blank = set()  # a table ends at an empty line
        elif any(c in TIMINGS for c in cells):
            blank = {i for i, c in enumerate(cells) if c in TIMINGS}
        if set(line.strip()) == {"-"}:
            continue
        lines.append("  ".join("*" if i in blank else c for i, c in enumerate(cells)))
    return lines


def main(argv: list[str]) -> int:
    within = argv[:1] == ["--within"]
    argv = argv[1:] if within else argv
    if len(argv) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    a, b = (normalised(Path(p).read_text()) for p in argv)
    if within:
        missing = [line for line in a if line not in b]
        if not missing:
            print(f"same lines: all {len(a)} of {argv[0]} are in {argv[1]} (timings aside)")
            return 0
        print("\n".join(f"- {line}" for line in missing))
        print(f"\n{len(missing)} lines of {argv[0]} are not in {argv[1]} (timings aside)")
        return 1
    if a == b:
        print(f"same tables: {argv[0]} and {argv[1]} ({len(a)} lines, timings aside)")
        return 0
    print("\n".join(difflib.unified_diff(a, b, *argv, lineterm="", n=1)))
    print(f"\n{argv[0]} and {argv[1]} differ (timings aside)")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
