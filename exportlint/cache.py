"""Results of earlier runs, keyed on file bytes, so unchanged files cost a read.

One JSON file per (exportlint version, settings, target torch), holding
``sha1(bytes) -> findings``; a change of any of these starts a new file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import astuple
from typing import Dict, List, Optional

from exportlint import __version__
from exportlint.diagnostic import Diagnostic, Severity
from exportlint.reading import OversizeFile, Unreadable, read_regular_file

CACHE_DIR = ".exportlint_cache"
_NOT_CACHED = {"EXP001", "EXP002"}  # internal errors and timeouts may not recur
_MAX_ENTRIES = 50_000
_MAX_CACHED_SIZE = 8 * 1024 * 1024  # bigger files are rare; hashing them is not worth it


def _code_stamp() -> str:
    """Sizes and times of exportlint's own modules: an edited rule (in a
    development checkout, where the version does not change) empties the cache."""
    package = os.path.dirname(os.path.abspath(__file__))
    stamps = []
    for directory in (package, os.path.join(package, "rules")):
        try:
            names = sorted(n for n in os.listdir(directory) if n.endswith(".py"))
        except OSError:
            continue
        for name in names:
            try:
                info = os.stat(os.path.join(directory, name))
            except OSError:
                continue
            stamps.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha1("|".join(stamps).encode()).hexdigest()


class Cache:
    def __init__(self, file: str, entries: Dict[str, list]) -> None:
        self.file = file
        self.entries = entries
        self._digests: Dict[str, str] = {}
        self._dirty = False

    @classmethod
    def open(cls, settings, directory: Optional[str] = None) -> "Cache":
        directory = directory or os.environ.get("EXPORTLINT_CACHE_DIR") or CACHE_DIR
        key = hashlib.sha1(f"{__version__}|{_code_stamp()}|{settings.fingerprint()}".encode()).hexdigest()[:16]
        file = os.path.join(directory, f"results-{key}.json")
        try:
            with open(file, encoding="utf-8") as handle:
                entries = json.load(handle)
            if not isinstance(entries, dict):
                entries = {}
        except (OSError, ValueError):
            entries = {}
        return cls(file, entries)

    def _digest(self, path: str) -> Optional[str]:
        try:
            # The engine's reader: FIFOs and devices are refused, not waited on.
            digest = hashlib.sha1(read_regular_file(path, _MAX_CACHED_SIZE)).hexdigest()
        except (Unreadable, OversizeFile):
            return None
        self._digests[path] = digest
        return digest

    # Entries of the project analysis: structures and analyses, under their own keys.
    def digest(self, path: str) -> Optional[str]:
        """The digest of the file's bytes now (None: unreadable or too large to cache)."""
        return self._digest(path)

    def has(self, key: str) -> bool:
        return key in self.entries

    def lookup(self, key: str):
        return self.entries.get(key)

    def store(self, key: str, value) -> None:
        self.entries[key] = value
        self._dirty = True

    def get(self, path: str) -> Optional[List[Diagnostic]]:
        digest = self._digest(path)
        if digest is None or digest not in self.entries:
            return None
        return [
            Diagnostic(path, line, col, code, msg, Severity(sev), end_line, end_col, case)
            for (line, col, code, msg, sev, end_line, end_col, case) in self.entries[digest]
        ]

    def put(self, path: str, found: List[Diagnostic]) -> None:
        digest = self._digests.get(path)
        if digest is None or any(d.code in _NOT_CACHED for d in found):
            return
        self.entries[digest] = [astuple(d)[1:5] + (d.severity.value,) + astuple(d)[6:] for d in found]
        self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        entries = self.entries
        if len(entries) > _MAX_ENTRIES:
            entries = dict(list(entries.items())[-_MAX_ENTRIES:])
        directory = os.path.dirname(self.file) or "."
        try:
            os.makedirs(directory, exist_ok=True)
            gitignore = os.path.join(directory, ".gitignore")
            if not os.path.exists(gitignore):
                with open(gitignore, "w", encoding="utf-8") as handle:
                    handle.write("*\n")
            fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entries, handle)
            os.replace(tmp, self.file)
        except OSError:
            pass  # a read-only tree still gets its findings, just no cache
