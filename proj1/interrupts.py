"""SIGINT (Ctrl-C) and SIGTERM (`timeout`, `kill`, batch schedulers) as one exception.

Inside `stop_on_signals()` either signal raises `Interrupted` in the main thread, wherever
it is: the code unwinds as for Ctrl-C (joblib stops its workers, files being written are
removed) and the command line says what was kept, in one line, instead of a traceback
(SIGINT) or a silent death that leaves the workers running (SIGTERM's default).
"""

import signal
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """A signal asked the run to stop; `signum` says which (`name`: SIGINT or SIGTERM)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name

    @property
    def exit_status(self) -> int:
        """The shell's convention for a process stopped by the signal: 128 + its number."""
        return 128 + self.signum


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Raise `Interrupted` on SIGINT or SIGTERM inside the body (main thread only)."""

    def handler(signum, frame):
        for s in SIGNALS:  # a second signal stops at once, without the clean-up
            signal.signal(s, signal.SIG_DFL)
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, before in previous.items():
            signal.signal(s, before)
