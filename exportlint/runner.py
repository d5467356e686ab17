"""Lint many files: serially for small runs, in worker processes for large ones."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator, List, Optional, Sequence

from exportlint.diagnostic import Diagnostic

# Below this many files, starting workers costs more than it saves.
PARALLEL_THRESHOLD = 32


def default_jobs() -> int:
    return os.cpu_count() or 1


_worker_settings = None


def _init_worker(settings) -> None:
    global _worker_settings
    _worker_settings = settings


def _lint_in_worker(path: str) -> List[Diagnostic]:
    from exportlint.engine import lint_path

    return lint_path(path, _worker_settings)


def lint_files(paths: Sequence[str], settings, jobs: Optional[int] = None, cache=None) -> Iterator[List[Diagnostic]]:
    """Findings per file, in the order of ``paths``; results stream as they come."""
    todo = list(paths)
    cached = {}
    if cache is not None:
        for path in todo:
            hit = cache.get(path)
            if hit is not None:
                cached[path] = hit
    misses = [p for p in todo if p not in cached]
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs > 1 and len(misses) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,)) as pool:
            fresh = pool.map(_lint_in_worker, misses, chunksize=max(1, min(64, len(misses) // (jobs * 8) or 1)))
            yield from _merge(todo, cached, misses, fresh, cache)
    else:
        fresh = (_lint_here(p, settings) for p in misses)
        yield from _merge(todo, cached, misses, fresh, cache)


def _lint_here(path: str, settings) -> List[Diagnostic]:
    from exportlint.engine import lint_path  # imported on the first miss: a cached run never loads LibCST

    return lint_path(path, settings)


def _merge(todo, cached, misses, fresh, cache) -> Iterator[List[Diagnostic]]:
    fresh_iter = iter(fresh)
    for path in todo:
        if path in cached:
            yield cached[path]
        else:
            found = next(fresh_iter)
            if cache is not None:
                cache.put(path, found)
            yield found
