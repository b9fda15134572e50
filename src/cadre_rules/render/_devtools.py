"""A headless Chromium driven over its DevTools pipe (``--remote-debugging-pipe``), for the PDF (:mod:`._pdf`).

Chromium reads the protocol's commands from its file descriptor 3 and writes the answers and events to its
descriptor 4, each message a JSON object ended by a NUL byte (as Puppeteer drives it). :class:`Chromium` starts
the browser in its own process group with a private profile, sends a command and waits for its answer or an event,
each wait bounded by a deadline, and stops it: the whole group killed (its profile is thrown away).

Any failure (the browser gone, a pipe closed, an error answer, a message that is not JSON) is a
:class:`DevToolsFailed`; the deadline passed, a :class:`DevToolsTimeout`. The PDF falls back on Chromium's own
``--print-to-pdf`` then; nothing here is shown to a user.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import signal
import time
from collections import deque
from typing import Any

__all__ = ["Chromium", "DevToolsFailed", "DevToolsTimeout"]


class DevToolsFailed(Exception):
    """The browser cannot be driven: it stopped, a pipe closed, or it answered with an error."""


class DevToolsTimeout(DevToolsFailed):
    """The browser did not answer before the deadline."""


class Chromium:
    """A Chromium started with ``--remote-debugging-pipe``: ``command`` is its binary and flags (without the
    pipe's); its standard streams go to ``/dev/null``."""

    def __init__(self, command: list[str]) -> None:
        self._next = 0
        self._buffer = bytearray()
        self._events: deque[dict[str, Any]] = deque()
        self.pid = 0
        self._to_browser = self._from_browser = -1
        to_child, self._to_browser = os.pipe()  # (os.pipe's descriptors are not inherited: only the copies
        self._from_browser, from_child = os.pipe()  # the file actions make as 3 and 4 are)
        # the child's ends moved above 4 first, so that making one of them 3 cannot close the other
        to_child, from_child = _above(to_child, 4), _above(from_child, 4)
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                   (os.POSIX_SPAWN_DUP2, to_child, 3), (os.POSIX_SPAWN_DUP2, from_child, 4)]
        try:
            self.pid = os.posix_spawnp(command[0], [*command, "--remote-debugging-pipe"], dict(os.environ),
                                      file_actions=actions, setpgroup=0)
        except OSError as exc:
            self._close_fds()
            raise DevToolsFailed(f"cannot start {command[0]}: {exc}") from None
        finally:
            os.close(to_child)
            os.close(from_child)
        os.set_blocking(self._to_browser, False)
        os.set_blocking(self._from_browser, False)

    # -- the protocol -------------------------------------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None,
             deadline: float) -> dict[str, Any]:
        """Send ``method`` (to the target attached as ``session``, else the browser) and return its result."""
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        self._send(json.dumps(message, separators=(",", ":")).encode() + b"\0", deadline)
        while True:
            answer = self._receive(deadline)
            if answer.get("id") != self._next:
                if "method" in answer:  # an event, kept for wait_event
                    self._events.append(answer)
                continue
            if "error" in answer:
                raise DevToolsFailed(f"{method}: {answer['error']}")
            result: dict[str, Any] = answer.get("result", {})
            return result

    def wait_event(self, method: str, *, session: str | None, deadline: float,
                   params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Wait for the event ``method`` of ``session`` whose params include ``params``; return its params."""
        def wanted(event: dict[str, Any]) -> bool:
            got = event.get("params", {})
            return (event.get("method") == method and event.get("sessionId") == session
                    and all(got.get(k) == v for k, v in (params or {}).items()))

        while self._events:
            event = self._events.popleft()
            if wanted(event):
                return dict(event.get("params", {}))
        while True:
            event = self._receive(deadline)
            if wanted(event):
                return dict(event.get("params", {}))

    # -- the pipes ----------------------------------------------------------------------------------------------

    def _send(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            _wait(self._to_browser, deadline, write=True)
            try:
                view = view[os.write(self._to_browser, view):]
            except BlockingIOError:
                continue
            except OSError as exc:  # (EPIPE: the browser is gone)
                raise DevToolsFailed(f"cannot write to the browser: {exc}") from None

    def _receive(self, deadline: float) -> dict[str, Any]:
        searched = 0  # (a PDF comes as one message of many reads: each read searched once)
        while (end := self._buffer.find(b"\0", searched)) < 0:
            searched = len(self._buffer)
            _wait(self._from_browser, deadline)
            try:
                chunk = os.read(self._from_browser, 1 << 20)
            except BlockingIOError:
                continue
            if not chunk:
                raise DevToolsFailed("the browser closed its pipe")
            self._buffer += chunk
        raw = bytes(self._buffer[:end])
        del self._buffer[:end + 1]
        try:
            message = json.loads(raw)
        except ValueError:
            raise DevToolsFailed("the browser sent a message that is not JSON") from None
        if not isinstance(message, dict):
            raise DevToolsFailed("the browser sent a message that is not an object")
        return message

    # -- stopping -----------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the browser at once: its process group killed and the browser reaped, the pipes closed. (Not
        ``Browser.close``: the headless shell then takes 0.08–0.19 s to end, and its profile is thrown away.)
        Safe to call again."""
        try:
            self._kill()
        finally:
            self._close_fds()

    def _kill(self) -> None:
        """Kill the browser's process group (its id is the browser's pid, not reused while the browser is
        unreaped or a process of its group lives: Debian's wrapper script's Chromium, its zygotes) and reap the
        browser. (A killed zygote may stay a zombie until the system's init reaps it: it runs no more.)"""
        if not self.pid:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.pid = 0

    def _close_fds(self) -> None:
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._to_browser = self._from_browser = -1


def _above(fd: int, floor: int) -> int:
    """``fd``, or a copy of it above ``floor`` (the original closed) when it is at or below it."""
    if fd > floor:
        return fd
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, floor + 1)
    os.close(fd)
    return moved


def _wait(fd: int, deadline: float, *, write: bool = False) -> None:
    """Wait until ``fd`` can be read (or written), at the latest until ``deadline`` (``time.monotonic``)."""
    left = deadline - time.monotonic()
    poller = select.poll()  # (not select.select: any descriptor number)
    poller.register(fd, select.POLLOUT if write else select.POLLIN)
    if left <= 0 or not poller.poll(left * 1000):
        raise DevToolsTimeout("the browser did not answer in time")
