"""The default text format, for people: each finding with its source line, a
caret under the span, the rule's name, what export does, and the rule's doc.

Modelled on ruff's ``full`` format. The first line of each finding is the
``path:line:col: CODE`` line every editor and CI log parser knows.
"""

from __future__ import annotations

import re
import textwrap
from typing import IO, Callable, List, Optional, Sequence, Tuple

from exportlint.codes import names
from exportlint.diagnostic import Diagnostic, Severity
from exportlint.output.plain import one_line

_TAG = re.compile(r"\s*\[[\w-]+\]$")  # the rule name closing each message: the header shows it
_EFFECT = re.compile(r": (?=torch \d+\.\d+ )")  # "what: torch X.Y mode export ..."
_WIDTH = 100
_MAX_SPAN_LINES = 4
_MAX_LINE = 120

SourceLines = Callable[[str], Optional[List[str]]]


class _Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text


def _window(text: str, start: int) -> Tuple[str, int]:
    """At most _MAX_LINE characters of a display line, around column ``start``
    (minified or generated code has lines of megabytes). Returns the shown
    text and the shift of ``start`` in it."""
    if len(text) <= _MAX_LINE:
        return text, 0
    begin = max(0, start - 30)
    shown = text[begin:begin + _MAX_LINE]
    if begin + _MAX_LINE < len(text):
        shown += "…"
    if begin:
        return "…" + shown, 1 - begin
    return shown, 0


def _snippet(d: Diagnostic, lines: List[str], style: _Style) -> List[str]:
    last = min(max(d.end_line, d.line), len(lines), d.line + _MAX_SPAN_LINES - 1)
    if not 1 <= d.line <= len(lines):
        return []
    first = lines[d.line - 1].expandtabs(4)
    start = len(lines[d.line - 1][: d.column - 1].expandtabs(4))
    if not d.end_line:  # a point, not a span (file-level codes: where parsing stopped)
        width = 1
    elif d.end_line == d.line and d.end_column > d.column:
        width = len(lines[d.line - 1][: d.end_column - 1].expandtabs(4)) - start
    else:  # a span over several lines: mark the first line to its end
        width = len(first.rstrip()) - start
    gutter = len(str(last))
    bar = style(" " * gutter + " |", "34")
    out = [bar]
    for number in range(d.line, last + 1):
        shown, shift = _window(lines[number - 1].expandtabs(4), start if number == d.line else 0)
        if number == d.line:
            start += shift
            width = min(width, len(shown) - start)
        text = one_line(shown)
        out.append(style(f"{number:>{gutter}} |", "34") + (" " + text if text else ""))
    caret_colour = "31" if d.severity is Severity.ERROR else "33"
    marks = style("^" * max(1, width) + f" {d.code}", caret_colour)
    out.insert(2, bar + " " * (start + 1) + marks)  # under the first line; the span's other lines follow
    out.append(bar)
    return out


def _wrapped(text: str) -> List[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent="  = ", subsequent_indent="    ")


def render(d: Diagnostic, lines: Optional[List[str]], style: _Style) -> str:
    message = one_line(_TAG.sub("", d.message))
    parts = _EFFECT.split(message, maxsplit=1)
    what, export = (parts[0], parts[1]) if len(parts) == 2 else (message, "")
    name = names().get(d.code, "")
    code_colour = "1;31" if d.severity is Severity.ERROR else "1;33"
    header = f"{style(one_line(d.path), '1')}:{d.line}:{d.column}: {style(d.code, code_colour)}"
    header += f" [{name}] {what}" if name else f" {what}"
    out = [header]
    if lines is not None:
        out += _snippet(d, lines, style)
    if export:
        out += _wrapped(export)
    out += [f"  = docs: {d.url}"]
    return "\n".join(out) + "\n"


def full(
    diagnostics: Sequence[Diagnostic], stream: IO[str], colour: bool, source_lines: SourceLines
) -> None:
    style = _Style(colour)
    for index, d in enumerate(diagnostics):
        if index:
            stream.write("\n")
        stream.write(render(d, source_lines(d.path), style))
