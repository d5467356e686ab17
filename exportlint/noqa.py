"""``# noqa`` comments, read exactly as flake8 reads them."""

from __future__ import annotations

import re
from typing import Sequence

# flake8.defaults.NOQA_INLINE_REGEXP: blanket `# noqa`, or `# noqa: CODE[,CODE...]`
# where each code also suppresses the codes it is a prefix of.
NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
_SPLIT = re.compile(r"[,\s]")


def is_suppressed(code: str, line: int, lines: Sequence[str]) -> bool:
    """Whether physical line ``line`` (1-based) carries a noqa covering ``code``."""
    if not 1 <= line <= len(lines):
        return False
    match = NOQA.search(lines[line - 1])
    if match is None:
        return False
    codes = match.group("codes")
    if codes is None:
        return True
    listed = tuple(c.strip() for c in _SPLIT.split(codes) if c.strip())
    return code in listed or code.startswith(listed)
