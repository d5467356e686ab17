"""Results of earlier runs, keyed on the bytes that were read, so unchanged files cost a read.

The project run's user of the content-addressed store (store.py): each file's
structure, each analysis under the facts it had, and one record of a project's
structures, keyed ``settings fingerprint | kind:sha1 of the file's bytes:...``.
An analysis is stored under the digest of the bytes its job itself read and
linted (project_lint.analysis_job), never of bytes read earlier: a file edited
while a run is going is stored under its new bytes, and looked up under
whatever it holds.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from typing import Any, Optional

from exportlint import __version__
from exportlint.diagnostic import Severity
from exportlint.reading import OversizeFile, Unreadable, read_regular_file
from exportlint.store import DEFAULT_FOLDER, Store

CACHE_DIR = DEFAULT_FOLDER
MAX_CACHED_SIZE = 8 * 1024 * 1024  # bigger files are rare; hashing them is not worth it
_CODE = re.compile(r"EXP\d{3}\Z")
_SEVERITIES = {s.value for s in Severity}


def _code_stamp() -> str:
    """Sizes and times of exportlint's own modules, cases and measured outcomes
    (the rules' claims come from both): an edited rule or a new sweep (in a
    development checkout, where the version does not change) empties the cache."""
    package = os.path.dirname(os.path.abspath(__file__))
    stamps = []
    for directory in (package, *(os.path.join(package, d) for d in ("rules", "analysis", "cases", "data"))):
        try:
            names = sorted(n for n in os.listdir(directory) if n.endswith((".py", ".json")))
        except OSError:
            continue
        for name in names:
            try:
                info = os.stat(os.path.join(directory, name))
            except OSError:
                continue
            stamps.append(f"{directory[len(package):]}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha1("|".join(stamps).encode()).hexdigest()


def _parser_stamp() -> str:
    """The interpreter and LibCST releases: both decide what parses (CPython's
    parser checks files without models on 3.11+ only). LibCST is found, not
    imported (a warm run never loads it), and importlib.metadata is too slow here."""
    libcst = "?"
    try:
        import importlib.util

        spec = importlib.util.find_spec("libcst")
        for folder in (spec.submodule_search_locations or []) if spec else []:
            libcst = hashlib.sha1(read_regular_file(os.path.join(folder, "_version.py"), 4096)).hexdigest()[:8]
            break
    except (ImportError, ValueError, Unreadable, OversizeFile):
        pass
    return f"py{sys.version_info[0]}.{sys.version_info[1]}|libcst {libcst}"


def store_salt() -> str:
    """What every entry depends on: exportlint's version and code, the interpreter, LibCST."""
    return hashlib.sha1(f"{__version__}|{_code_stamp()}|{_parser_stamp()}".encode()).hexdigest()[:16]


def content_digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _is_int(value: Any) -> bool:
    return type(value) is int and 0 <= value < 2**62


def valid_results(value: Any) -> bool:
    """A list of [line, col, code, message, severity, end_line, end_col, case] rows."""
    if not isinstance(value, list):
        return False
    for row in value:
        if not (isinstance(row, list) and len(row) == 8):
            return False
        line, column, code, message, severity, end_line, end_column, case = row
        if not (_is_int(line) and line >= 1 and _is_int(column) and column >= 1):
            return False
        if not (isinstance(code, str) and _CODE.match(code) and isinstance(message, str)):
            return False
        if not (severity in _SEVERITIES and _is_int(end_line) and _is_int(end_column) and isinstance(case, str)):
            return False
    return True


class Cache:
    """The store under one set of settings (the salt covers exportlint's code, Python and LibCST)."""

    def __init__(self, store: Store, settings_key: str) -> None:
        self.store = store
        self.settings_key = settings_key

    @classmethod
    def open(cls, settings, directory: Optional[str] = None) -> "Cache":
        return cls(Store.open(store_salt(), directory), settings.fingerprint())

    def _key(self, digest: str) -> str:
        return f"{self.settings_key}|{digest}"


# The project run's entries: each file's structure, and its analysis under the facts it had.
# Values are stored wrapped in a one-item list, so that "no structure" (a file CPython
# cannot parse) is an entry too. ``get`` gives them loaded (checked as they are converted):
# [FileStructure or None], and [(finding rows, FlowSummary)].
#
# PROJECT is one record per project: every file's structure entry, by the same keys
# (``structure:<digest>:<module>:<is package>``), so that a run reads one entry instead
# of one per file. Its entries are only ever looked up by those content keys: whatever
# run wrote the record last, an entry is the structure of the bytes its key names.
STRUCTURE, ANALYSIS, PROJECT = "structure", "analysis", "project"


def _wrapped(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 1


def _load_structure(value: list) -> list:
    from exportlint.analysis.structure import FileStructure

    return [None if value[0] is None else FileStructure.from_json(value[0])]


def _load_analysis(value: list) -> list:
    from exportlint.analysis.facts import FlowSummary

    inner = value[0]
    if not (isinstance(inner, list) and len(inner) == 2 and valid_results(inner[0])):
        raise ValueError("not [finding rows, flows]")
    return [(inner[0], FlowSummary.from_json(inner[1]))]


def _valid_project(value: Any) -> bool:
    """{"structures": {structure key: [structure JSON or None]}}; each structure is
    converted (and checked) only when a run looks its key up."""
    if not (isinstance(value, dict) and isinstance(value.get("structures"), dict)):
        return False
    return all(
        isinstance(k, str) and k.startswith("structure:") and _wrapped(v) for k, v in value["structures"].items()
    )


class ProjectCache(Cache):
    """The project run's view of the store: entries by kind and key, under the settings."""

    def __init__(self, store: Store, settings_key: str) -> None:
        super().__init__(store, settings_key)
        store.add_kind(STRUCTURE, _wrapped, _load_structure)
        store.add_kind(ANALYSIS, _wrapped, _load_analysis)
        store.add_kind(PROJECT, _valid_project)
        self._seen: dict = {}

    def digest(self, path: str) -> Optional[str]:
        """The digest of the bytes ``path`` holds now (None: unreadable, or too large to cache)."""
        try:
            return content_digest(read_regular_file(path, MAX_CACHED_SIZE))
        except (Unreadable, OversizeFile):
            return None

    def _get(self, key: str):
        if key not in self._seen:
            self._seen[key] = self.store.get(key.split(":", 1)[0], self._key(key))
        return self._seen[key]

    def has(self, key: str) -> bool:
        return self._get(key) is not None

    def lookup(self, key: str):
        """The entry stored under ``key``, loaded: a FileStructure (or None for a file
        CPython cannot parse), or (finding rows, FlowSummary); None when absent."""
        found = self._get(key)
        return found[0] if found is not None else None

    def store_entry(self, key: str, value) -> None:
        """Store the JSON ``value`` under ``key``. It is not kept loaded: the run holds what it
        made already, and a second loaded copy of every structure and analysis was an eighth of
        a cold run's peak memory; a later lookup of the key (rare) reads it back."""
        kind = key.split(":", 1)[0]
        self.store.put(kind, self._key(key), [value])
        self._seen.pop(key, None)  # a miss remembered before the entry existed

    def project_structures(self, name: str) -> dict:
        """The structure entries of the project record ``name``: {structure key: [JSON]}."""
        found = self.store.get(PROJECT, self._key(f"project:{name}"))
        return found["structures"] if found is not None else {}

    def store_project_structures(self, name: str, structures: dict) -> None:
        self.store.put(PROJECT, self._key(f"project:{name}"), {"structures": structures})

    def save(self) -> None:
        """Entries are written as they come (store.py): nothing is left to save."""
