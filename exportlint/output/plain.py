"""What every text format needs: one finding on one line, and the source."""

from __future__ import annotations

import re
from typing import Dict, List, Optional

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def one_line(text: str) -> str:
    """No line breaks (a finding is one line) and no terminal control
    characters (a file's text or name must not drive the user's terminal)."""
    text = _LINE_BREAKS.sub(" ", text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class SourceLines:
    """The lines of each reported file, read once, when first asked for.
    Text the run already holds (stdin) is given up front."""

    def __init__(self) -> None:
        self._lines: Dict[str, Optional[List[str]]] = {}

    def remember(self, path: str, text: str) -> None:
        self._lines[path] = _split(text)

    def __call__(self, path: str) -> Optional[List[str]]:
        if path not in self._lines:
            self._lines[path] = _read(path)
        return self._lines[path]


def _split(text: str) -> List[str]:
    from exportlint.source import physical_lines

    return physical_lines(text)


def _read(path: str) -> Optional[List[str]]:
    from exportlint.reading import OversizeFile, Unreadable, read_regular_file
    from exportlint.source import UndecodableSource, decode

    try:
        return _split(decode(read_regular_file(path, 64 * 1024 * 1024)))
    except (Unreadable, OversizeFile, UndecodableSource, OSError, ValueError):
        return None
