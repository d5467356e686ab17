"""Lint many files: serially for small runs, in worker processes for large ones."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, List, Optional, Sequence, Tuple

from exportlint.diagnostic import Diagnostic, Severity
from exportlint.files import is_notebook
from exportlint.pool import SupervisedPool

# Below this many files, starting workers costs more than it saves.
PARALLEL_THRESHOLD = 32


def default_jobs() -> int:
    return os.cpu_count() or 1


def _collect_per_file() -> Tuple[bool, bool]:
    """Switch the automatic collector off for a run, and collect once per file instead.

    While a file is linted the automatic collector runs again and again over
    its tree (LibCST allocates millions of objects), finding nothing: the tree
    is freed by reference counting when the file is done. Collecting once per
    file instead saves about an eighth of the time at the same peak memory.
    Returns what to restore.
    """
    import exportlint.engine  # noqa: F401  (LibCST's modules too are frozen below, not rescanned per file)

    was_on, had_frozen = gc.isenabled(), gc.get_freeze_count() > 0
    gc.freeze()  # what is alive now (imports, settings) is never garbage: do not rescan it
    gc.disable()
    return was_on, had_frozen


def _restore_collector(was_on: bool, had_frozen: bool) -> None:
    if not had_frozen:
        gc.unfreeze()
    if was_on:
        gc.enable()


@dataclass(frozen=True)
class FileResult:
    """What linting one file gave: its findings, and the digest of the bytes that
    were linted (None when none were read). ``cacheable`` is False for results
    that depend on the run rather than on the bytes (a timeout, an internal
    error, running out of memory, a dead worker)."""

    diagnostics: List[Diagnostic]
    digest: Optional[str] = None
    cacheable: bool = False


_RUN_DEPENDENT = {"EXP001", "EXP002"}  # internal errors, timeouts and dead workers may not recur


def lint_job(path: str, settings) -> FileResult:
    """The job of one file, in a worker or not: read once, hash and lint the same bytes."""
    from exportlint.cache import MAX_CACHED_SIZE, content_digest
    from exportlint.engine import lint_bytes, read_source  # a cached run never loads LibCST

    data = read_source(path, settings)
    if isinstance(data, Diagnostic):
        return FileResult([data])
    try:
        found = lint_bytes(data, path, settings)
    finally:
        if not gc.isenabled():
            gc.collect()
    cacheable = (
        len(data) <= MAX_CACHED_SIZE and not is_notebook(path) and not any(d.code in _RUN_DEPENDENT for d in found)
    )
    return FileResult(found, content_digest(data), cacheable)


def _file_failure(path: str, message: str) -> FileResult:
    from exportlint.engine import INTERNAL_ERROR

    return FileResult([Diagnostic(path, 1, 1, INTERNAL_ERROR, message, Severity.ERROR)])


def _worker_died(path: str, reason: str) -> FileResult:
    return _file_failure(path, f"{reason} while linting this file; file not linted")


def _job_raised(path: str, message: str) -> FileResult:
    return _file_failure(path, f"internal error: {message}; please report it")


def _init_worker() -> None:
    _collect_per_file()


def lint_files(paths: Sequence[str], settings, jobs: Optional[int] = None, cache=None) -> Iterator[List[Diagnostic]]:
    """Findings per file, in the order of ``paths``; results stream as they come."""
    todo = list(paths)
    cached = {}
    if cache is not None:
        for path in todo:
            if is_notebook(path):
                continue
            hit = cache.get(path)
            if hit is not None:
                cached[path] = hit
    misses = [p for p in todo if p not in cached]
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs > 1 and len(misses) >= PARALLEL_THRESHOLD:
        pool = SupervisedPool(lint_job, settings, jobs, _worker_died, _job_raised, initializer=_init_worker)
        yield from _merge(todo, cached, pool.map(misses), cache)
    elif misses:
        collector = _collect_per_file()
        try:
            yield from _merge(todo, cached, (lint_job(p, settings) for p in misses), cache)
        finally:
            _restore_collector(*collector)
    else:
        yield from _merge(todo, cached, (), cache)


def _merge(todo, cached, fresh: Iterable[FileResult], cache) -> Iterator[List[Diagnostic]]:
    fresh_iter = iter(fresh)
    try:
        for path in todo:
            if path in cached:
                yield cached[path]
            else:
                result = next(fresh_iter)
                if cache is not None and result.cacheable and result.digest is not None:
                    cache.put(result.digest, result.diagnostics)
                yield result.diagnostics
    finally:
        # Now, not when a traceback holding this frame is freed: an interrupted run stops its workers at once.
        close = getattr(fresh_iter, "close", None)
        if close is not None:
            close()


def map_jobs(job: Callable, items: Sequence, settings, jobs: int, failed: Callable[[Any, str], Any]) -> Iterator:
    """``job(item, settings)`` for every item, in order: in supervised worker processes
    for large batches, else here. A worker that dies or a job that raises costs its
    item only: ``failed(item, reason)`` stands in for its result."""
    items = list(items)
    if not items:
        return
    if jobs > 1 and len(items) >= PARALLEL_THRESHOLD:
        pool = SupervisedPool(job, settings, jobs, failed, lambda item, message: failed(item, f"internal error: "
                              f"{message}; please report it"), initializer=_init_worker)
        yield from pool.map(items)
        return
    collector = _collect_per_file()
    try:
        for item in items:
            try:
                yield job(item, settings)
            finally:
                if not gc.isenabled():
                    _collect_new_objects()
    finally:
        _restore_collector(*collector)


def _collect_new_objects() -> None:
    """Free the cycles a job left, then freeze what survived: the results the caller keeps.

    Without the freeze every collection rescans all the results kept so far, and a
    project run (one structure job per project file, ~3,000 for transformers) spent
    more time in gc.collect than in parsing: 332 s of 540 s profiled on one model
    directory. Frozen objects are unfrozen when the run ends (_restore_collector)."""
    gc.collect()
    gc.freeze()
