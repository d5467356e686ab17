"""``per-file-ignores``: codes turned off for the files a glob matches.

Globs are relative to the directory of the pyproject.toml that sets them, as
in ruff and flake8; ``*`` also crosses directories (``tests/*`` is every file
under tests/), a glob ending in ``/`` is a directory, and a glob with no ``/``
also matches the file's name alone (``conftest.py``, ``*_test.py``).
Applied after the cache, to the findings of each file.
"""

from __future__ import annotations

import fnmatch
import os
from typing import Sequence, Tuple


def _matches(path: str, glob: str, root: str) -> bool:
    absolute = os.path.abspath(path).replace(os.sep, "/")
    if glob.endswith("/"):
        glob += "*"
    anchored = os.path.abspath(os.path.join(root, glob)).replace(os.sep, "/")
    if fnmatch.fnmatchcase(absolute, anchored):
        return True
    return "/" not in glob and fnmatch.fnmatchcase(os.path.basename(absolute), glob)


def ignored_codes(path: str, settings) -> Tuple[str, ...]:
    codes: Tuple[str, ...] = ()
    for glob, listed in settings.per_file_ignores:
        if _matches(path, glob, settings.root):
            codes += listed
    return codes


def without_ignored(diagnostics: Sequence, settings) -> list:
    """The findings of one or more files that no per-file-ignores entry covers."""
    if not settings.per_file_ignores:
        return list(diagnostics)
    by_path = {}
    kept = []
    for d in diagnostics:
        if d.path not in by_path:
            by_path[d.path] = ignored_codes(d.path, settings)
        codes = by_path[d.path]
        if not (codes and d.code.startswith(codes)):
            kept.append(d)
    return kept
