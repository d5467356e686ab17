"""Output formats. Each takes the findings of a whole run and writes them.

Every reporter is called as ``reporter(diagnostics, stream, no_color=...,
statistics=..., source_lines=...)`` and ignores what it does not use.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import IO, Any, Callable, Dict, List, Sequence

from exportlint import __version__
from exportlint.diagnostic import Diagnostic, Severity
from exportlint.output.plain import SourceLines, one_line


def _colour_enabled(stream: IO[str], no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def text(diagnostics: Sequence[Diagnostic], stream: IO[str], no_color: bool = False, **options: Any) -> None:
    """The default: source context, caret, rule name and doc link (ruff's ``full``)."""
    from exportlint.output.full import full

    full(diagnostics, stream, _colour_enabled(stream, no_color), options.get("source_lines") or SourceLines())
    if options.get("statistics"):
        _statistics_text(diagnostics, stream)


def concise(diagnostics: Sequence[Diagnostic], stream: IO[str], no_color: bool = False, **options: Any) -> None:
    """One line a finding, as flake8 prints it: for grep, editors and scripts."""
    colour = _colour_enabled(stream, no_color)
    for d in diagnostics:
        path, message = one_line(d.path), one_line(d.message)
        if colour:
            code_colour = "\033[31m" if d.severity is Severity.ERROR else "\033[33m"
            stream.write(f"\033[1m{path}\033[0m:{d.line}:{d.column}: {code_colour}{d.code}\033[0m {message}\n")
        else:
            stream.write(f"{path}:{d.line}:{d.column}: {d.code} {message}\n")
    if options.get("statistics"):
        _statistics_text(diagnostics, stream)


def json_format(diagnostics: Sequence[Diagnostic], stream: IO[str], no_color: bool = False, **options: Any) -> None:
    """A list of findings; with --statistics, {"findings": [...], "statistics": [...]}."""
    findings = [d.as_dict() for d in diagnostics]
    document: Any = findings
    if options.get("statistics"):
        document = {"findings": findings, "statistics": statistics_table(diagnostics)}
    json.dump(document, stream, indent=2)
    stream.write("\n")


def _escape_property(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github(diagnostics: Sequence[Diagnostic], stream: IO[str], no_color: bool = False, **options: Any) -> None:
    """GitHub Actions workflow commands: one annotation per finding."""
    for d in diagnostics:
        level = "error" if d.severity is Severity.ERROR else "warning"
        props = (
            f"file={_escape_property(d.path)},line={d.line},col={d.column},"
            f"endLine={d.end_line or d.line},endColumn={d.end_column or d.column},"
            f"title={_escape_property(d.code)}"
        )
        stream.write(f"::{level} {props}::{_escape_data(d.code + ' ' + d.message)}\n")
    if options.get("statistics"):  # plain lines: the log shows them as they are
        _statistics_text(diagnostics, stream)


def sarif(diagnostics: Sequence[Diagnostic], stream: IO[str], no_color: bool = False, **options: Any) -> None:
    from exportlint.output.sarif import sarif_log

    log = sarif_log(diagnostics, __version__, options.get("target"))
    if options.get("statistics"):  # a property bag: SARIF's place for what it has no field for
        log["runs"][0].setdefault("properties", {})["statistics"] = statistics_table(diagnostics)
    json.dump(log, stream, indent=2)
    stream.write("\n")


REPORTERS: Dict[str, Callable[..., None]] = {
    "text": text,
    "concise": concise,
    "json": json_format,
    "sarif": sarif,
    "github": github,
}


def statistics_table(diagnostics: Sequence[Diagnostic]) -> List[Dict[str, Any]]:
    """Findings per code, most frequent first, as ruff's --statistics."""
    from exportlint.codes import names

    counts = Counter(d.code for d in diagnostics)
    return [
        {"code": code, "name": names().get(code, ""), "count": count}
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _statistics_text(diagnostics: Sequence[Diagnostic], stream: IO[str]) -> None:
    if diagnostics:
        stream.write("\n")
    for row in statistics_table(diagnostics):
        stream.write(f"{row['count']:<6} {row['code']} {row['name']}\n")
