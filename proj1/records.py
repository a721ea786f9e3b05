"""The record log of a run: one JSON line per finished job, appended the moment it finishes.

The first line is a header holding the log's `identity`: whatever the records depend on
besides their key (epochs, data source, device, ...). A rerun that resumes reads the
records back and runs only the missing jobs; one with another identity is refused, as
its records would differ from those of an uninterrupted run. A last line cut short by a
kill is dropped (its job runs again). The log is never written through a symlink.

`dumps` is the JSON of every file a run writes: a NaN or an infinity, which JSON does
not have, is an error rather than a bare `NaN` that other readers refuse.
"""

import dataclasses
import json
import os
from pathlib import Path

from proj1.outputs import OutputError

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows


def dumps(value, **options) -> str:
    """`json.dumps` that refuses NaN and infinities (ValueError) instead of writing them."""
    return json.dumps(value, allow_nan=False, **options)


def read_log(path) -> tuple[dict, list[dict], int]:
    """(identity, records, size in bytes of the intact lines) of the log at `path`."""
    path = Path(path)
    content = path.read_bytes()
    lines = content.split(b"\n")
    try:
        header = json.loads(lines[0])
        identity = header["identity"]
    except (ValueError, KeyError, TypeError) as exc:
        raise OutputError(f"{path} is not a record log (its first line is no header)") from exc
    records, size = [], len(lines[0]) + 1
    for line in lines[1:-1]:  # the last item follows the last newline: empty or cut short
        try:
            records.append(json.loads(line))
        except ValueError:
            break  # cut short by a kill before its newline was written, or damaged
        size += len(line) + 1
    return identity, records, size


class RecordLog:
    """Append-only JSON lines: a header with the identity, then one record per line."""

    def __init__(self, path, identity: dict, *, resume: bool = False):
        """Open the log at `path`: continue it when `resume` and it exists, else start anew.

        Resuming reads its records (`self.records`) and refuses (OutputError) a log of
        another identity; starting anew replaces any file there.
        """
        self.path = Path(path)
        self.identity = identity
        self._fd = None
        if self.path.is_symlink():
            raise OutputError(f"{self.path} is a symlink; the record log is written only as a file")
        self.records, size = self.check(self.path, identity) if resume else ([], 0)
        if size:
            self._fd = os.open(self.path, os.O_WRONLY | NOFOLLOW)
            os.truncate(self._fd, size)  # drop a line cut short
            os.lseek(self._fd, 0, os.SEEK_END)
        else:
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | NOFOLLOW
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, flags, 0o644)
            self._write({"identity": identity})

    @staticmethod
    def check(path, identity: dict) -> tuple[list[dict], int]:
        """(records, size of the intact lines) of the log at `path` if its identity is
        `identity`, else OutputError saying what differs; ([], 0) when there is no log."""
        path = Path(path)
        if path.is_symlink():
            raise OutputError(f"{path} is a symlink; the record log is written only as a file")
        if not path.exists() or not path.stat().st_size:
            return [], 0
        found, records, size = read_log(path)
        found, expected = json.loads(dumps(found)), json.loads(dumps(identity))
        if found != expected:
            raise OutputError(f"{path} {_difference(found, expected)}")
        return records, size

    def append(self, record) -> None:
        """Write `record` (a dict or a dataclass) as one line and flush it to the disk."""
        if dataclasses.is_dataclass(record):
            record = dataclasses.asdict(record)
        self.records.append(record)  # first: an interrupt in the fsync leaves it counted
        self._write(record)

    def _write(self, value) -> None:
        os.write(self._fd, (dumps(value) + "\n").encode())  # one write: a whole line or none
        os.fsync(self._fd)

    def close(self) -> None:
        """Close the file (the records stay readable through `self.records`)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "RecordLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _difference(found: dict, expected: dict) -> str:
    """'holds records of epochs=25, ...; this run has epochs=1, ...' over the keys that differ."""
    keys = [k for k in dict.fromkeys([*found, *expected]) if found.get(k) != expected.get(k)]

    def show(d):
        return ", ".join(f"{k}={d.get(k)!r}" for k in keys)

    return (
        f"holds records of {show(found)}; this run has {show(expected)}: rerun with the same "
        "options, --force to replace them, or choose another --out"
    )
