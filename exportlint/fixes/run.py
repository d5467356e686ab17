"""``exportlint --fix`` and ``--diff``: rewrite files (or show the diff), then report what is left.

Files are linted afresh (no cache): fixes are not cached, and the text
changes between rounds. Each file is read, fixed in memory and written back
in its own encoding and line endings only when it changed.
"""

from __future__ import annotations

import difflib
import io
import sys
import tokenize
from typing import List, Optional, TextIO, Tuple

from exportlint.diagnostic import Diagnostic
from exportlint.engine import lint_text
from exportlint.files import discover
from exportlint.fixes.apply import FixResult, fix_text
from exportlint.reading import OversizeFile, Unreadable, read_regular_file
from exportlint.source import UndecodableSource, decode, size_limit


def _encoding(data: bytes) -> str:
    """The encoding the file was decoded with, to write it back the same way."""
    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError:
        return "utf-8"


def _fix_one(text: str, path: str, settings, unsafe: bool) -> FixResult:
    return fix_text(text, lambda current: lint_text(current, path, settings, fixes=True), unsafe)


def _diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(True), after.splitlines(True), fromfile=f"a/{path}", tofile=f"b/{path}"
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)


def _read(path: str, settings) -> Tuple[Optional[bytes], Optional[str]]:
    try:
        data = read_regular_file(path, 64 * size_limit(settings.timeout))
        return data, decode(data)
    except (Unreadable, OversizeFile, UndecodableSource):
        return None, None  # the report below says why (lint_path gives EXP000/EXP002)


def run(args, settings, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> Tuple[List[Diagnostic], int]:
    """Fix (or diff) every file; returns the findings left and how many files changed."""
    from exportlint.engine import lint_bytes, lint_path

    unsafe = bool(args.unsafe_fixes)
    remaining: List[Diagnostic] = []
    changed = fixes = 0
    targets: List[str] = []
    if "-" in args.paths:
        targets.append("-")
    targets += list(discover([p for p in args.paths if p != "-"], settings.exclude + settings.extend_exclude))
    for path in targets:
        shown = (args.stdin_filename or "-") if path == "-" else path
        data = sys.stdin.buffer.read() if path == "-" else None
        if data is None:
            data, text = _read(path, settings)
        else:
            try:
                text = decode(data)
            except UndecodableSource:
                text = None
        if text is None:
            remaining.extend(lint_bytes(data, shown, settings) if path == "-" else lint_path(path, settings))
            continue
        result = _fix_one(text, shown, settings, unsafe)
        if result.error:
            err.write(f"exportlint: {shown}: {result.error}; file left unchanged, please report it\n")
        remaining.extend(result.remaining)
        fixes += result.applied
        if result.text != text:
            changed += 1
            if args.diff:
                out.write(_diff(shown, text, result.text))
            elif path == "-":
                out.write(result.text)  # as ruff does: the fixed source goes to stdout
            else:
                with open(path, "wb") as handle:
                    handle.write(result.text.encode(_encoding(data)))
        elif path == "-" and not args.diff:
            out.write(text)
    verb = "would fix" if args.diff else "fixed"
    err.write(f"exportlint: {verb} {fixes} finding(s) in {changed} file(s)\n")
    hidden = sum(1 for d in remaining if d.fix is not None)
    if hidden and not unsafe:
        err.write(f"exportlint: {hidden} more with --unsafe-fixes\n")
    return remaining, changed
