"""A small content-addressed store on disk: JSON values by (kind, key).

Each entry is one file, ``<folder>/<salt>/<kind>/<hh>/<sha256(key)[2:]>.json``,
written whole under ``<folder>/tmp/`` and renamed into place. A reader never
sees half an entry, and runs at the same time (pre-commit starts several)
add to the store instead of overwriting each other's work. Every read goes
through the guarded reader of source files (no FIFO waits, no devices, a size
cap), and every value through the validator of its kind: a bad entry is a
miss, never a crash. Any failure to write only costs the entry.

Kinds are declared by their users (``store.add_kind("results", validate)``):
the results of linting a file are one of them.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
import time
from typing import Any, Callable, Dict, Optional

from exportlint.reading import OversizeFile, Unreadable, read_regular_file

DEFAULT_FOLDER = ".exportlint_cache"
MAX_ENTRY_BYTES = 16 * 1024 * 1024
_TAG_NAME = "CACHEDIR.TAG"
# https://bford.info/cachedir/ : backup tools skip the folder; the comment says whose it is.
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# A cache folder created by exportlint; safe to delete.\n"
_STALE_TEMP_SECONDS = 3600

Validator = Callable[[Any], bool]
Loader = Callable[[Any], Any]


def _is_ours(folder: str) -> bool:
    try:
        tag = read_regular_file(os.path.join(folder, _TAG_NAME), 4096)
    except (Unreadable, OversizeFile):
        return False
    return tag.decode("utf-8", "replace") == _TAG and os.path.isdir(folder)


def _make_ours(folder: str) -> bool:
    """Create ``folder`` with its marks (a ``.gitignore`` of ``*`` and a cache tag),
    all at once: built under a temporary name, then renamed. False if it exists."""
    parent = os.path.dirname(os.path.abspath(folder))
    os.makedirs(parent, exist_ok=True)
    building = tempfile.mkdtemp(prefix=".exportlint-new-", dir=parent)
    try:
        for name, text in ((".gitignore", "*\n"), (_TAG_NAME, _TAG)):
            with open(os.path.join(building, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        if os.path.lexists(folder):
            return False
        os.rename(building, folder)
        return True
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EISDIR):
            return False
        raise
    finally:
        shutil.rmtree(building, ignore_errors=True)


def _store_folder(requested: str) -> Optional[str]:
    """Where the store lives, and whether it can: ``requested`` when exportlint made
    it (or it does not exist yet), else a folder exportlint makes inside it. An
    existing folder is never marked: a ``.gitignore`` of ``*`` in a repository's
    root would hide the whole repository from ``git status``."""
    if _is_ours(requested) or not os.path.lexists(requested):
        return requested
    inside = os.path.join(requested, DEFAULT_FOLDER)
    if os.path.isdir(requested) and (_is_ours(inside) or not os.path.lexists(inside)):
        return inside
    return None  # a file where the folder should be, or a folder of someone else's


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


class Store:
    """JSON values by (kind, key), under a salt (exportlint's version and code)."""

    def __init__(self, folder: Optional[str], salt: str) -> None:
        self.folder = folder
        self.salt = salt
        self._kinds: Dict[str, Validator] = {}
        self._loaders: Dict[str, Loader] = {}
        self._ready = folder is not None and _is_ours(folder)
        if self._ready:
            self._remove_stale_temporaries()

    @classmethod
    def open(cls, salt: str, directory: Optional[str] = None) -> "Store":
        """The store in ``directory`` (default: $EXPORTLINT_CACHE_DIR, else
        .exportlint_cache). Nothing is created until the first put."""
        requested = directory or os.environ.get("EXPORTLINT_CACHE_DIR") or DEFAULT_FOLDER
        return cls(_store_folder(requested), salt)

    def add_kind(self, kind: str, validate: Validator, load: Optional[Loader] = None) -> None:
        """Declare a kind of entry; ``validate(value)`` says whether a stored value is usable.
        With ``load``, ``get`` gives ``load(value)`` instead of the JSON value: the loader
        checks as it converts (validation and conversion in one pass), and any exception
        it raises makes the entry a miss."""
        self._kinds[kind] = validate
        if load is not None:
            self._loaders[kind] = load
        else:
            self._loaders.pop(kind, None)

    def load(self, kind: str, value: Any) -> Optional[Any]:
        """What ``get`` gives for a stored ``value`` of ``kind``: the value (or what its
        kind's loader makes of it) when valid, else None."""
        try:
            if not self._kinds[kind](value):
                return None
            loader = self._loaders.get(kind)
            return value if loader is None else loader(value)
        except Exception:  # a validator or loader tripped by a strange shape: still only a miss
            return None

    def _entry_path(self, kind: str, key: str) -> str:
        if kind not in self._kinds:
            raise KeyError(f"undeclared store kind: {kind}")
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.folder, self.salt, kind, digest[:2], digest[2:] + ".json")

    def get(self, kind: str, key: str) -> Optional[Any]:
        """The value stored for (kind, key), or None: absent, unreadable, or invalid."""
        if self.folder is None:
            return None
        path = self._entry_path(kind, key)
        try:
            entry = json.loads(read_regular_file(path, MAX_ENTRY_BYTES))
        except (Unreadable, OversizeFile, ValueError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("kind") != kind or entry.get("key") != key:
            return None  # another entry's file, or a hash collision: never someone else's value
        return self.load(kind, entry.get("value"))

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` (JSON-serialisable) for (kind, key). Failures are ignored."""
        if self.folder is None:
            return
        path = self._entry_path(kind, key)
        data = json.dumps({"kind": kind, "key": key, "value": value}, separators=(",", ":")).encode()
        temporary = None
        try:
            if not self._ready:
                self._ready = _make_ours(self.folder) or _is_ours(self.folder)
                if not self._ready:
                    self.folder = None  # someone else's folder appeared there: no cache this run
                    return
            os.makedirs(os.path.dirname(path), exist_ok=True)
            temporaries = os.path.join(self.folder, "tmp")
            os.makedirs(temporaries, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=f"{os.getpid()}-", suffix=".tmp", dir=temporaries)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
            temporary = None
        except (OSError, ValueError):
            pass  # read-only tree, disk full, a hostile folder: findings still come, uncached
        finally:
            if temporary is not None:  # also on KeyboardInterrupt and the CLI's SIGTERM exception
                try:
                    os.unlink(temporary)
                except OSError:
                    pass

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of runs that were killed before they could remove them."""
        folder = os.path.join(self.folder, "tmp")
        try:
            names = os.listdir(folder)
        except OSError:
            return
        now = time.time()
        for name in names:
            path = os.path.join(folder, name)
            pid = name.split("-", 1)[0]
            try:
                if pid.isdigit() and _pid_alive(int(pid)) and now - os.lstat(path).st_mtime < _STALE_TEMP_SECONDS:
                    continue
                os.unlink(path)
            except OSError:
                continue
