"""``--add-noqa``: silence today's findings where they are, one comment a line.

Each finding gets ``# noqa: EXPnnn`` on the line flake8 reads it from: for a
statement continued by backslashes, or a multi-line string, that is the last
line of the run (a comment cannot follow a backslash, nor sit inside a
string); see noqa.py. A noqa comment already on the run gets the new codes
merged into its list. Nothing else in the file changes.
"""

from __future__ import annotations

import io
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, List, Sequence, Set, Tuple

from exportlint.diagnostic import Diagnostic
from exportlint.noqa import NOQA, codes_in, lines_with_ends

FILE_CODES = {"EXP000", "EXP001", "EXP002"}  # about the file, not a line: a comment would not explain them


@dataclass(frozen=True)
class Added:
    comments: int
    files: int
    skipped: Tuple[str, ...]  # files that could not be edited


def add_noqa(diagnostics: Sequence[Diagnostic]) -> Added:
    by_file: Dict[str, List[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        if d.path != "-" and d.code not in FILE_CODES:
            by_file[d.path].append(d)
    comments, files, skipped = 0, 0, []
    for path, found in by_file.items():
        try:
            count = _add_to_file(path, found)
        except (OSError, SyntaxError, UnicodeError, tokenize.TokenError):
            skipped.append(path)
            continue
        comments += count
        files += 1 if count else 0
    return Added(comments, files, tuple(skipped))


def _add_to_file(path: str, found: List[Diagnostic]) -> int:
    with open(path, "rb") as handle:
        data = handle.read()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    lines = lines_with_ends(data.decode(encoding))
    runs, comments = _runs_and_comments(lines)
    wanted: Dict[Tuple[int, int], Set[str]] = defaultdict(set)
    for d in found:
        wanted[runs.get(d.line, (d.line, d.line))].add(d.code)
    changed = 0
    for (first, last), codes in sorted(wanted.items()):
        if _edit_run(lines, comments, first, last, codes):
            changed += 1
    if changed:
        with open(path, "wb") as handle:
            handle.write("".join(lines).encode(encoding))
    return changed


def _runs_and_comments(lines: List[str]):
    """Line -> (first, last) line of its token run (as flake8 groups them), and
    line -> (column, text) of the comment on it."""
    runs: Dict[int, Tuple[int, int]] = {}
    comments: Dict[int, Tuple[int, str]] = {}
    remaining = iter(line.rstrip("\r\n") + "\n" for line in lines)
    low, high = len(lines) + 2, -1
    for token in tokenize.generate_tokens(lambda: next(remaining, "")):
        if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
            continue
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = (token.start[1], token.string)
        low, high = min(low, token.start[0]), max(high, token.end[0])
        if token.type in (tokenize.NL, tokenize.NEWLINE):
            for number in range(low, high + 1):
                runs[number] = (low, high)
            low, high = len(lines) + 2, -1
    return runs, comments


def _edit_run(lines: List[str], comments, first: int, last: int, codes: Set[str]) -> bool:
    for number in range(first, last + 1):  # flake8 reads the first noqa of the run
        if number in comments and NOQA.search(comments[number][1]):
            return _merge(lines, number, comments[number], codes)
    line = lines[last - 1]
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    lines[last - 1] = f"{body.rstrip()}  # noqa: {', '.join(sorted(codes))}{ending}"
    return True


def _merge(lines: List[str], number: int, comment: Tuple[int, str], codes: Set[str]) -> bool:
    column, text = comment
    listed = codes_in(text)
    if listed == ():  # a blanket noqa covers everything already
        return False
    match = NOQA.search(text)
    missing = sorted(c for c in codes if not (c in listed or c.startswith(listed)))
    if not missing:
        return False
    group = match.group("codes")
    separator = group[len(group.rstrip(", \t")):]
    merged = ", ".join(list(listed) + missing) + separator
    new_text = text[:match.start("codes")] + merged + text[match.end("codes"):]
    line = lines[number - 1]
    # the comment token's column is in characters of the decoded line
    lines[number - 1] = line[:column] + new_text + line[column + len(text):]
    return True
