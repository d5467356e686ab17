"""``# noqa`` comments, read exactly as flake8 reads them.

flake8 does not look for a noqa comment on the reported physical line alone:
it maps each line to the text of its whole token run (flake8/processor.py,
``_noqa_line_mapping``), so a comment anywhere on lines joined by a backslash,
or spanned by one multi-line string token, applies to all of them. Lines
inside brackets end in NL tokens and stay separate. This module computes the
same mapping, so the CLI and ``flake8 --select EXP`` suppress the same findings.
"""

from __future__ import annotations

import re
import tokenize
from typing import Dict, List, Optional, Sequence, Tuple

# flake8.defaults.NOQA_INLINE_REGEXP: blanket `# noqa`, or `# noqa: CODE[,CODE...]`
# where each code also suppresses the codes it is a prefix of.
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
_SPLIT = re.compile(r"[,\s]")

# flake8.defaults.NOQA_FILE, matched at the start of any physical line: the
# whole file is skipped (flake8 accepts trailing codes and still skips it all).
FLAKE8_FILE_NOQA = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
# exportlint's own file-level switch, for files flake8 should still check.
SKIP_FILE = re.compile(r"\s*#\s*exportlint:\s*skip-file\b", re.IGNORECASE)

_BREAK_AT_END = re.compile(r"(?:\r\n|\r)$")
_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def lines_with_ends(text: str) -> List[str]:
    """Physical lines with their line breaks, numbered as flake8 and LibCST do."""
    return _LINE_WITH_END.findall(text)


def skips_file(text: str, honour_flake8: bool = True) -> bool:
    """Whether a file-level comment turns exportlint off for the whole file."""
    lowered = text.lower()  # (a case-blind regex search is ~10x slower: no literal to look for)
    if not any(switch in lowered for switch in ("flake8:", "flake8=", "exportlint:")):
        return False
    for line in lines_with_ends(text):
        if SKIP_FILE.match(line) or (honour_flake8 and FLAKE8_FILE_NOQA.match(line)):
            return True
    return False


def logical_ranges(lines: Sequence[str]) -> Optional[List[Tuple[int, int]]]:
    """flake8's token runs: (first, last) line of each, or None if the file does
    not tokenize (flake8 then falls back to the single physical line)."""
    ranges: List[Tuple[int, int]] = []
    remaining = iter(lines)
    low, high = len(lines) + 2, -1
    try:
        for token in tokenize.generate_tokens(lambda: next(remaining, "")):
            kind, (start, _), (end, _) = token.type, token.start, token.end
            if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            low, high = min(low, start), max(high, end)
            if kind in (tokenize.NL, tokenize.NEWLINE):
                ranges.append((low, high))
                low, high = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return None
    return ranges


def noqa_texts(text: str) -> Dict[int, str]:
    """Line number -> the text flake8 searches for a noqa comment for that line."""
    # flake8 reads files with universal newlines: every break is "\n" to tokenize
    lines = [_BREAK_AT_END.sub("\n", line) for line in lines_with_ends(text)]
    ranges = logical_ranges(lines)
    mapping: Dict[int, str] = {}
    for first, last in ranges or ():
        joined = "".join(lines[first - 1:last])
        for number in range(first, last + 1):
            mapping[number] = joined
    for number, line in enumerate(lines, 1):
        mapping.setdefault(number, line)
    return mapping


def codes_in(comment_text: str) -> Optional[Tuple[str, ...]]:
    """The codes of the first noqa comment in the text: () for a blanket
    ``# noqa``, None for no noqa comment at all."""
    match = NOQA.search(comment_text)
    if match is None:
        return None
    codes = match.group("codes")
    if codes is None:
        return ()
    return tuple(c.strip() for c in _SPLIT.split(codes) if c.strip())


def covers(code: str, listed: Optional[Tuple[str, ...]]) -> bool:
    if listed is None:
        return False
    return listed == () or code in listed or code.startswith(listed)


def without_suppressed(diagnostics: Sequence, text: str) -> list:
    """The findings no noqa comment covers."""
    if not diagnostics or "# noqa" not in text.lower() or not NOQA.search(text):
        # No "# noqa" anywhere (one scan in C): none in any line's text either, as those
        # are lines of the file joined (noqa_texts), so the tokenize pass can find nothing.
        return list(diagnostics)
    mapping = noqa_texts(text)
    return [d for d in diagnostics if not covers(d.code, codes_in(mapping.get(d.line, "")))]


def is_suppressed(code: str, line: int, lines: Sequence[str]) -> bool:
    """Whether physical line ``line`` (1-based) itself carries a noqa covering ``code``."""
    if not 1 <= line <= len(lines):
        return False
    return covers(code, codes_in(lines[line - 1]))
