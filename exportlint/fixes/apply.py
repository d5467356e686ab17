"""Apply fixes to a file's text, re-linting until nothing fixable is left (as ruff does)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, List, Sequence, Tuple

import libcst as cst

from exportlint.diagnostic import Diagnostic
from exportlint.fix import SAFE, Edit, Fix

MAX_ROUNDS = 10  # a fix that keeps producing fixable code must not loop forever
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as source.physical_lines splits


def _line_starts(text: str) -> List[int]:
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def _offset(starts: List[int], text: str, line: int, column: int) -> int:
    if line > len(starts):  # just past the last line (removing the file's last statement)
        return len(text)
    return min(starts[line - 1] + column - 1, len(text))


def _span(starts: List[int], text: str, edit: Edit) -> Tuple[int, int]:
    return _offset(starts, text, edit.line, edit.column), _offset(starts, text, edit.end_line, edit.end_column)


def apply_fixes(text: str, fixes: Sequence[Fix]) -> Tuple[str, int]:
    """``text`` with as many of ``fixes`` as do not overlap (earlier ones first),
    and how many were applied; the rest wait for the next round."""
    starts = _line_starts(text)
    taken: List[Tuple[int, int]] = []
    chosen: List[Tuple[int, int, str]] = []
    applied = 0
    for fix in sorted(fixes, key=lambda f: min((e.line, e.column) for e in f.edits)):
        spans = [_span(starts, text, e) for e in fix.edits]
        if any(s < t_end and t_start < e or s == e == t_start for s, e in spans for t_start, t_end in taken):
            continue
        taken.extend(spans)
        chosen.extend((s, e, edit.text) for (s, e), edit in zip(spans, fix.edits))
        applied += 1
    for start, end, new in sorted(chosen, key=lambda c: (c[0], c[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text, applied


@dataclass(frozen=True)
class FixResult:
    text: str
    applied: int  # fixes applied over all rounds
    remaining: List[Diagnostic]  # findings of the fixed text
    error: str = ""  # set when a round produced code that does not parse (that round is dropped)


def fixable(found: Sequence[Diagnostic], unsafe: bool) -> List[Fix]:
    return [d.fix for d in found if d.fix is not None and (unsafe or d.fix.safety == SAFE)]


def fix_text(text: str, lint: Callable[[str], List[Diagnostic]], unsafe: bool = False) -> FixResult:
    """Fix ``text`` with the findings ``lint`` gives, re-linting after each round."""
    applied = 0
    found = lint(text)
    for _ in range(MAX_ROUNDS):
        fixes = fixable(found, unsafe)
        if not fixes:
            break
        new_text, count = apply_fixes(text, fixes)
        if new_text == text:
            break
        try:
            cst.parse_module(new_text)
        except Exception as exc:  # a bug of a fix: never write code that does not parse
            return FixResult(text, applied, found, f"a fix produced code that does not parse ({type(exc).__name__})")
        text, applied = new_text, applied + count
        found = lint(text)
    return FixResult(text, applied, found)
