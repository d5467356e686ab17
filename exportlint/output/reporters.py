"""Output formats. Each takes the findings of a whole run and writes them."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import IO, Callable, Dict, Sequence

from exportlint import __version__
from exportlint.diagnostic import Diagnostic, Severity


def _colour_enabled(stream: IO[str], no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def text(diagnostics: Sequence[Diagnostic], stream: IO[str], no_color: bool = False) -> None:
    colour = _colour_enabled(stream, no_color)
    for d in diagnostics:
        if colour:
            code_colour = "\033[31m" if d.severity is Severity.ERROR else "\033[33m"
            stream.write(f"\033[1m{d.path}\033[0m:{d.line}:{d.column}: {code_colour}{d.code}\033[0m {d.message}\n")
        else:
            stream.write(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}\n")


def json_format(diagnostics: Sequence[Diagnostic], stream: IO[str], no_color: bool = False) -> None:
    json.dump([d.as_dict() for d in diagnostics], stream, indent=2)
    stream.write("\n")


def _escape_property(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github(diagnostics: Sequence[Diagnostic], stream: IO[str], no_color: bool = False) -> None:
    """GitHub Actions workflow commands: one annotation per finding."""
    for d in diagnostics:
        level = "error" if d.severity is Severity.ERROR else "warning"
        props = (
            f"file={_escape_property(d.path)},line={d.line},col={d.column},"
            f"endLine={d.end_line or d.line},endColumn={d.end_column or d.column},"
            f"title={_escape_property(d.code)}"
        )
        stream.write(f"::{level} {props}::{_escape_data(d.code + ' ' + d.message)}\n")


def sarif(diagnostics: Sequence[Diagnostic], stream: IO[str], no_color: bool = False) -> None:
    from exportlint.output.sarif import sarif_log

    json.dump(sarif_log(diagnostics, __version__), stream, indent=2)
    stream.write("\n")


REPORTERS: Dict[str, Callable[..., None]] = {
    "text": text,
    "json": json_format,
    "sarif": sarif,
    "github": github,
}


def statistics(diagnostics: Sequence[Diagnostic], stream: IO[str]) -> None:
    counts = Counter(d.code for d in diagnostics)
    for code, count in sorted(counts.items()):
        first = next(d for d in diagnostics if d.code == code)
        stream.write(f"{count:<6} {code} {first.message.split(':', 1)[0]}\n")
