"""Which files a run lints: the paths given, directories walked, excludes applied."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from typing import Iterator, Optional, Pattern, Sequence


class MissingPath(Exception):
    """A path on the command line that does not exist: a usage error."""


def is_notebook(path: str) -> bool:
    """A Jupyter notebook: JSON, not Python source, whatever its JSON parses as."""
    return path.lower().endswith(".ipynb")


def is_excluded(path: str, patterns: Sequence[str]) -> bool:
    """True when the file or directory name, or its path, matches a glob (as flake8's
    --exclude). Paths are matched as walked, relative to the directory given."""
    matcher = _matcher(tuple(patterns))
    if matcher is None:
        return False
    normalized = path.replace(os.sep, "/")
    if normalized.startswith("./"):
        normalized = normalized[2:]
    name = normalized.rstrip("/").rsplit("/", 1)[-1]  # PurePath's name: trailing slashes dropped
    # fnmatch.fnmatch, once for all patterns: os.path.normcase on both sides, then fnmatchcase
    return matcher.match(os.path.normcase(name)) is not None or matcher.match(os.path.normcase(normalized)) is not None


@functools.lru_cache(maxsize=64)
def _matcher(patterns: tuple) -> Optional[Pattern[str]]:
    """One regular expression for all the globs (each as fnmatch translates it)."""
    if not patterns:
        return None
    return re.compile("|".join(fnmatch.translate(os.path.normcase(p.rstrip("/"))) for p in patterns))


def discover(paths: Sequence[str], exclude: Sequence[str], force_exclude: bool = False) -> Iterator[str]:
    """Files to lint, in a stable order. Explicit files are linted (even non-.py
    ones, as flake8 does) unless ``force_exclude`` and an exclude matches them or
    a directory above them (pre-commit names every staged file, excluded or not);
    directories give their *.py files, recursively, without following symlinked
    directories (no loops)."""
    for given in paths:
        if force_exclude and _excluded_with_parents(given, exclude):
            continue
        if os.path.isdir(given):
            yield from _walk(given, exclude)
        elif os.path.lexists(given):
            yield given
        else:
            raise MissingPath(given)


def _excluded_with_parents(path: str, exclude: Sequence[str]) -> bool:
    parts = [p for p in path.replace(os.sep, "/").split("/") if p not in ("", ".")]
    return any(is_excluded("/".join(parts[: n + 1]), exclude) for n in range(len(parts)))


def _walk(root: str, exclude: Sequence[str]) -> Iterator[str]:
    for directory, subdirs, files in os.walk(root, followlinks=False):
        relative = os.path.relpath(directory, root)
        relative = "" if relative == "." else relative + os.sep
        subdirs[:] = sorted(d for d in subdirs if not is_excluded(relative + d, exclude))
        for name in sorted(files):
            if name.endswith((".py", ".pyi")) and not is_excluded(relative + name, exclude):
                yield os.path.join(directory, name)
