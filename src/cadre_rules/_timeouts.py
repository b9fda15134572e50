"""Time bounds that interrupt blocked code: ``--timeout`` for a whole command, and one per plugin hook call.

A bound is a deadline on a stack; one ``SIGALRM`` interval timer is armed for the earliest one, and
its handler raises :class:`TimeLimitExceeded` in the main thread, which interrupts Python code,
``time.sleep`` and blocked lock waits alike. :class:`TimeLimitExceeded` is a :class:`BaseException`,
so that a plugin's ``except Exception`` cannot swallow it. Where there is no ``SIGALRM`` (Windows) or
outside the main thread, bounds are not enforced (the engine's own deadline still bounds an evaluation).
"""

from __future__ import annotations

import signal
import threading
import time
from types import FrameType
from types import TracebackType
from typing import Any

__all__ = ["Bound", "TimeLimitExceeded", "time_limit"]


class TimeLimitExceeded(BaseException):
    """Raised where the code was when ``bound`` ran out."""

    def __init__(self, bound: Bound) -> None:
        self.bound = bound
        #: What was running when the bound ran out, if known (a plugin's hook or function, by name).
        self.where: str | None = None
        super().__init__(f"{bound.what} did not finish within {bound.seconds:g} s")

    def blame(self, where: str) -> None:
        """Record what was running (the innermost caller that knows wins)."""
        if self.where is None:
            self.where = where


_stack: list[Bound] = []
_previous: list[Any] = []  # the SIGALRM handler before the first bound


def _enforceable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class Bound:
    """A deadline of ``seconds`` from now (or from the last :meth:`restart`) for ``what``; a context manager."""

    __slots__ = ("at", "expired", "seconds", "what")

    def __init__(self, seconds: float | None, what: str) -> None:
        self.seconds = seconds
        self.what = what
        self.at = float("inf")
        self.expired = False

    def restart(self) -> None:
        """Start the bound again from now: a watchdog over a loop of calls, each bounded, for a clock read."""
        if self.seconds is not None:
            self.at = time.monotonic() + self.seconds
            self.expired = False

    def __enter__(self) -> Bound:
        if self.seconds is None or not _enforceable():
            return self
        self.restart()
        if not _stack:
            _previous[:] = [signal.signal(signal.SIGALRM, _on_alarm)]
        _stack.append(self)
        _arm()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self not in _stack:
            return
        _stack.remove(self)
        if _stack:
            _arm()
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        previous = _previous.pop() if _previous else None
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def time_limit(seconds: float | None, what: str) -> Bound:
    """A bound of ``seconds`` (``None``: none) on the ``with`` block, described as ``what`` in the error."""
    return Bound(seconds, what)


def _arm() -> None:
    if not _stack:
        return
    first = min(b.at for b in _stack)
    signal.setitimer(signal.ITIMER_REAL, max(first - time.monotonic(), 0.001))


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    now = time.monotonic()
    expired = [b for b in _stack if b.at <= now and not b.expired]
    if not expired:
        _arm()  # a bound restarted since the timer was armed: wait for its new deadline
        return
    bound = min(expired, key=lambda b: b.at)
    bound.expired = True
    others = [b for b in _stack if not b.expired]
    if others:
        first = min(b.at for b in others)
        signal.setitimer(signal.ITIMER_REAL, max(first - now, 0.001))
    raise TimeLimitExceeded(bound)
