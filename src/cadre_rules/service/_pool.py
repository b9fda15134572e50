"""The worker processes of ``cadre-rules serve``: one evaluation at a time each, cut at the timeout, replaced.

Workers are started with ``spawn`` (a fresh interpreter: nothing of the server's threads or event loop is
copied) and each answers one job at a time over a pipe. A job past the timeout gets its worker killed and a
new one started; a worker that dies (killed, out of memory, a crash in C) fails its job with the reason and
is replaced the same way; an idle worker found dead is replaced before it is given a job.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import threading
from multiprocessing.context import SpawnProcess

import anyio.to_thread

from ._worker import Answer
from ._worker import Job
from ._worker import Refusal
from ._worker import serve_forever

__all__ = ["Crashed", "Pool", "TimedOut"]

#: How long a new worker may take to load the packs and say it is ready, in seconds.
_START_TIMEOUT = 120.0


class TimedOut(Exception):
    """The job ran past the timeout: its worker was killed and is being replaced."""


class Crashed(Exception):
    """The worker died while running the job (the reason: its exit code or signal)."""


class _Worker:
    def __init__(self, lang: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process: SpawnProcess = context.Process(target=serve_forever, args=(child, lang), daemon=True,
                                                     name="cadre-rules-worker")
        self.process.start()
        child.close()
        self.pid: int | None = None

    def wait_ready(self) -> None:
        if not self.conn.poll(_START_TIMEOUT):
            self.kill()
            raise Crashed("a worker did not start in time")
        try:
            _, self.pid = self.conn.recv()
        except (EOFError, OSError):
            raise Crashed(f"a worker exited while starting ({_exit_reason(self.process)})") from None

    def call(self, job: Job, timeout: float) -> Answer | Refusal:
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                raise TimedOut
            answer: Answer | Refusal = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(1)
            raise Crashed(_exit_reason(self.process)) from None
        return answer

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _exit_reason(process: SpawnProcess) -> str:
    code = process.exitcode
    if code is None:
        return "the worker stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the worker process was killed by {name}"
    return f"the worker process exited with code {code}"


class Pool:
    """``size`` workers; :meth:`run` gives a job to an idle one (waiting for one if all are busy)."""

    def __init__(self, size: int, timeout: float, lang: str = "vi") -> None:
        self.size = size
        self.timeout = timeout
        self.lang = lang
        self.restarts = 0
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False

    @property
    def pids(self) -> list[int]:
        """The process ids of the workers that are ready."""
        with self._lock:
            return [w.pid for w in self._workers if w.pid is not None]

    @property
    def busy(self) -> int:
        return len(self.pids) - self._idle.qsize()

    @property
    def ready(self) -> bool:
        return len(self.pids) == self.size

    async def start(self) -> None:
        await asyncio.gather(*(self._add() for _ in range(self.size)))

    async def _add(self) -> None:
        worker = await anyio.to_thread.run_sync(_Worker, self.lang)
        try:
            await anyio.to_thread.run_sync(worker.wait_ready)
        except Crashed:
            if not self._closed:
                asyncio.get_running_loop().call_later(1.0, lambda: asyncio.ensure_future(self._add()))
            return
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._workers.append(worker)
        self._idle.put_nowait(worker)

    async def _replace(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        self.restarts += 1
        await anyio.to_thread.run_sync(worker.kill)
        if not self._closed:
            asyncio.ensure_future(self._add())  # noqa: RUF006 - kept by the pool's list once ready

    async def _acquire(self) -> _Worker:
        while True:
            worker = await self._idle.get()
            if worker.process.is_alive():
                return worker
            await self._replace(worker)  # an idle worker found dead (killed, or out of memory)

    async def run(self, job: Job) -> Answer | Refusal:
        """The answer of a worker to ``job``.

        :raises TimedOut: past the timeout (the worker is killed and replaced).
        :raises Crashed: the worker died (it is replaced).
        """
        worker = await self._acquire()
        try:
            answer = await anyio.to_thread.run_sync(worker.call, job, self.timeout, abandon_on_cancel=True)
        except (TimedOut, Crashed):
            await self._replace(worker)
            raise
        except BaseException:  # the request was cancelled (the client left): the worker may still be busy
            await self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return answer

    async def check(self) -> None:
        """Replace the idle workers that died (called now and then, so that readiness tells the truth)."""
        for _ in range(self._idle.qsize()):
            worker = self._idle.get_nowait()
            if worker.process.is_alive():
                self._idle.put_nowait(worker)
            else:
                await self._replace(worker)

    async def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            await anyio.to_thread.run_sync(worker.kill)
