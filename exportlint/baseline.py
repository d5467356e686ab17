"""``--baseline FILE``: adopt exportlint on a codebase with findings, and from
then on report only new ones.

A finding is known when the baseline holds one with the same rule, file,
enclosing function and offending source text (whitespace-normalised); line
numbers are left out, so edits that move code around do not make old
findings new. Duplicates are counted: a third identical finding where the
baseline has two is new.
"""

from __future__ import annotations

import ast
import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from exportlint.diagnostic import Diagnostic

FORMAT = 1
Key = Tuple[str, str, str, str]  # code, path, function, source


class BaselineError(Exception):
    """A baseline file that cannot be read: a usage error."""


@dataclass(frozen=True)
class Checked:
    new: List[Diagnostic]
    known: int


def _functions(text: str) -> List[Tuple[int, int, str]]:
    """(first line, last line, qualified name) of every def and class."""
    try:
        tree = ast.parse(text)
    except Exception:  # SyntaxError, RecursionError, MemoryError, ValueError (NUL): no names
        return []
    found: List[Tuple[int, int, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                first = min([child.lineno] + [d.lineno for d in child.decorator_list])
                found.append((first, child.end_lineno or child.lineno, name))
                visit(child, name + ".")
            else:
                visit(child, prefix)

    try:
        visit(tree, "")
    except RecursionError:
        return []
    return found


def _enclosing(functions: List[Tuple[int, int, str]], line: int) -> str:
    inside = [f for f in functions if f[0] <= line <= f[1]]
    return max(inside, key=lambda f: f[0])[2] if inside else ""


def _source(d: Diagnostic, lines: List[str]) -> str:
    if not 1 <= d.line <= len(lines):
        return ""
    if d.end_line < d.line or (d.end_line == d.line and d.end_column <= d.column):
        text = lines[d.line - 1]  # no span (file-level codes): the line
    elif d.end_line == d.line:
        text = lines[d.line - 1][d.column - 1:d.end_column - 1]
    else:
        first, last = lines[d.line - 1][d.column - 1:], lines[d.end_line - 1][:d.end_column - 1]
        text = "\n".join([first] + lines[d.line:d.end_line - 1] + [last])
    return " ".join(text.split())


class Keys:
    """Keys for findings, reading each file's text and functions once."""

    def __init__(self, baseline_path: str, source_lines: Callable[[str], Optional[List[str]]]) -> None:
        self.base = os.path.dirname(os.path.abspath(baseline_path))
        self.source_lines = source_lines
        self._functions: Dict[str, List[Tuple[int, int, str]]] = {}

    def path(self, path: str) -> str:
        """Relative to the baseline file: `exportlint .` and `exportlint src/` agree."""
        if path == "-":
            return path
        return os.path.relpath(os.path.abspath(path), self.base).replace(os.sep, "/")

    def __call__(self, d: Diagnostic) -> Key:
        lines = self.source_lines(d.path) or []
        if d.path not in self._functions:
            self._functions[d.path] = _functions("\n".join(lines))
        return (d.code, self.path(d.path), _enclosing(self._functions[d.path], d.line), _source(d, lines))


def record(path: str, diagnostics: Sequence[Diagnostic], keys: Keys) -> None:
    counts = Counter(keys(d) for d in diagnostics)
    entries = [
        {"code": code, "path": file, "function": function, "source": source, "count": count}
        for (code, file, function, source), count in sorted(counts.items())
    ]
    document = {"exportlint-baseline": FORMAT, "findings": entries}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=1, ensure_ascii=False)
        handle.write("\n")


def load(path: str) -> Counter:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        if document.get("exportlint-baseline") != FORMAT:
            raise ValueError(f"not an exportlint baseline (format {FORMAT})")
        return Counter(
            {
                (e["code"], e["path"], e["function"], e["source"]): int(e["count"])
                for e in document["findings"]
            }
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None


def check(diagnostics: Sequence[Diagnostic], known: Counter, keys: Keys) -> Checked:
    """The findings the baseline does not account for, in their order."""
    budget = Counter(known)
    new: List[Diagnostic] = []
    matched = 0
    for d in diagnostics:
        key = keys(d)
        if budget[key] > 0:
            budget[key] -= 1
            matched += 1
        else:
            new.append(d)
    return Checked(new, matched)
