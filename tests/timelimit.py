"""A wall-clock bound for tests of hangs (issue 14): the code under test is cut
off with ``TooSlow`` after ``seconds``. A bound on a hang, never a speed check."""

from __future__ import annotations

import signal
from contextlib import contextmanager


class TooSlow(Exception):
    pass


@contextmanager
def alarm(seconds: float = 20.0):
    def fire(*_):
        raise TooSlow()

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
