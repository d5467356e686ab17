"""Module names and project roots, from the file system alone.

A file's module name is what Python would import it as: the chain of
directories holding ``__init__.py`` above it, then its stem. Relative imports
resolve against it. A project is what a run can see besides the files it
lints: the tree under the nearest directory with a project marker.
"""

from __future__ import annotations

import functools
import os
from typing import Optional, Tuple

PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


@functools.lru_cache(maxsize=4096)
def _is_package(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "__init__.py"))


def module_name(path: str) -> Tuple[str, bool]:
    """(dotted module name, is a package's ``__init__``) for a source file."""
    path = os.path.abspath(path)
    directory, filename = os.path.split(path)
    stem = filename.rsplit(".", 1)[0]
    is_package = stem == "__init__"
    parts = [] if is_package else [stem]
    while _is_package(directory):
        directory, name = os.path.split(directory)
        if not name.isidentifier():
            break
        parts.append(name)
        if not directory or directory == os.path.dirname(directory):
            break
    if not parts:  # an __init__.py outside any package directory chain
        parts = [os.path.basename(directory) or stem]
    return ".".join(reversed(parts)), is_package


def top_package_directory(path: str) -> Optional[str]:
    """The outermost package directory holding ``path``, if it is in a package."""
    directory = os.path.dirname(os.path.abspath(path))
    top = None
    while _is_package(directory):
        top = directory
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return top


@functools.lru_cache(maxsize=1024)
def _marked_root(directory: str) -> Optional[str]:
    for candidate in [directory, *_parents(directory)]:
        if any(os.path.exists(os.path.join(candidate, marker)) for marker in PROJECT_MARKERS):
            return candidate
    return None


def _parents(directory: str):
    while True:
        parent = os.path.dirname(directory)
        if parent == directory:
            return
        yield parent
        directory = parent


def project_root(path: str) -> Optional[str]:
    """The directory whose tree is the project of ``path``.

    The nearest ancestor with a project marker (pyproject.toml, setup.py,
    setup.cfg, .git); without one, the outermost package holding the file (a
    package unpacked from a wheel); a lone file outside any package and
    project has no project.
    """
    directory = os.path.dirname(os.path.abspath(path))
    marked = _marked_root(directory)
    if marked is not None:
        return marked
    return top_package_directory(path)


def resolve_relative(module: str, is_package: bool, level: int, name: Optional[str]) -> Optional[str]:
    """The absolute module ``from {'.' * level}{name} import ...`` names inside ``module``."""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]  # a module's relative imports start at its package
    if level - 1 > len(parts) or (level - 1 == len(parts) and not name):
        return None  # above the top package: Python raises ImportError
    base = parts[: len(parts) - (level - 1)]
    if name:
        base.append(name)
    return ".".join(base) or None
