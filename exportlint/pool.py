"""Worker processes, supervised: a dead worker costs only the item it held.

Each worker holds one item at a time, so when one dies (the OOM killer, a
SIGKILL, an abort in native code) the parent knows which item it was, reports
it through ``on_death`` and starts another worker for the rest. Workers ignore
SIGINT (Ctrl-C reaches the whole process group; the parent decides), and die
with their parent: PR_SET_PDEATHSIG on Linux, and a thread that watches the
parent's pid everywhere, so no worker outlives a parent killed by any signal.
Leaving the iteration early, by an exception or a signal, kills the workers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Any, Callable, Deque, Dict, Iterator, List, Optional, Sequence, Tuple

Job = Callable[[Any, Any], Any]  # (item, settings) -> result; a module-level function
_PARENT_POLL_SECONDS = 0.5
_JOIN_SECONDS = 2.0


def _exit_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher thread below still ends the worker

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(_PARENT_POLL_SECONDS)
        os._exit(1)

    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=watch, name="exportlint-parent-watch", daemon=True).start()


def _worker_main(connection, job: Job, settings: Any, initializer: Optional[Callable[[], None]],
                 parent_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _exit_with_parent(parent_pid)
    if initializer is not None:
        initializer()
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, item = message
        try:
            reply = (index, True, job(item, settings))
        except Exception as exc:  # the job's own guard failed: report it for this item only
            reply = (index, False, f"{type(exc).__name__}: {exc}")
        try:
            connection.send(reply)
        except Exception as exc:  # a result that cannot be pickled
            connection.send((index, False, f"{type(exc).__name__}: {exc}"))


def _context():
    # fork: workers start in milliseconds and share the parent's imports.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def death_reason(exitcode: Optional[int]) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"worker died ({signal.Signals(-exitcode).name})"
        except ValueError:
            return f"worker died (signal {-exitcode})"
    return f"worker exited with status {exitcode}"


class _Worker:
    def __init__(self, context, job: Job, settings: Any, initializer) -> None:
        self.connection, child_end = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_worker_main, args=(child_end, job, settings, initializer, os.getpid()),
            name="exportlint-worker", daemon=True,
        )
        self.process.start()
        child_end.close()
        self.task: Optional[Tuple[int, Any]] = None


class SupervisedPool:
    """``map(items)`` runs ``job(item, settings)`` in ``workers`` processes and yields
    results in the order of ``items``; an item whose worker died yields
    ``on_death(item, reason)``, and one whose job raised ``on_error(item, message)``."""

    def __init__(self, job: Job, settings: Any, workers: int, on_death: Callable[[Any, str], Any],
                 on_error: Callable[[Any, str], Any], initializer: Optional[Callable[[], None]] = None) -> None:
        self.job, self.settings, self.size = job, settings, max(1, workers)
        self.on_death, self.on_error, self.initializer = on_death, on_error, initializer
        self._context = _context()
        self._workers: List[_Worker] = []

    def map(self, items: Sequence[Any]) -> Iterator[Any]:
        todo: Deque[Tuple[int, Any]] = deque(enumerate(items))
        done: Dict[int, Any] = {}
        next_out = 0
        try:
            while next_out < len(items):
                self._hand_out(todo)
                self._collect(done, todo)
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
        finally:
            self.shutdown()

    def _start(self) -> _Worker:
        return _Worker(self._context, self.job, self.settings, self.initializer)

    def _hand_out(self, todo: Deque[Tuple[int, Any]]) -> None:
        while todo and len(self._workers) < self.size:
            self._workers.append(self._start())
        for position, worker in enumerate(self._workers):
            if worker.task is None and todo and not worker.process.is_alive():
                worker.process.join(_JOIN_SECONDS)  # died idle: its item is not lost, only the worker
                worker.connection.close()
                worker = self._workers[position] = self._start()
            if worker.task is None and todo:
                worker.task = todo.popleft()
                try:
                    worker.connection.send(worker.task)
                except OSError:
                    pass  # it died: its sentinel says so in _collect

    def _collect(self, done: Dict[int, Any], todo: Deque[Tuple[int, Any]]) -> None:
        busy = [w for w in self._workers if w.task is not None]
        ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy]))
        for worker in busy:
            if worker.connection in ready or worker.connection.poll():
                try:
                    index, ok, value = worker.connection.recv()
                except (EOFError, OSError):
                    pass  # died mid-send: handled with its sentinel below
                else:
                    item = worker.task[1]
                    done[index] = value if ok else self.on_error(item, value)
                    worker.task = None
                    continue
            if worker.process.sentinel in ready or not worker.process.is_alive():
                worker.process.join(_JOIN_SECONDS)
                index, item = worker.task
                done[index] = self.on_death(item, death_reason(worker.process.exitcode))
                worker.connection.close()
                self._workers.remove(worker)
                # _hand_out starts its successor when items are left.

    def shutdown(self) -> None:
        """Stop every worker now (they hold no state worth keeping) and reap them."""
        workers, self._workers = self._workers, []
        for worker in workers:
            if worker.process.is_alive():
                worker.process.kill()
        for worker in workers:
            worker.process.join(_JOIN_SECONDS)
            worker.connection.close()
