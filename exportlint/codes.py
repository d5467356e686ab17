"""Every code exportlint can report, read without importing the rules.

Selectors are checked on every run, cached ones too, and a cached run never
imports the rules (they import LibCST: a second of start-up). So the codes are
read from the rule modules' text; a test keeps this list equal to the registry.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from typing import Dict, Iterable, Tuple

FILE_CODES = {"EXP000": "could-not-parse", "EXP001": "internal-error", "EXP002": "timeout"}
_RULE_CODE = re.compile(r'^\s*code="(EXP\d{3})",\s*name="([^"]+)"', re.MULTILINE)
_RULES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules")


@functools.lru_cache(maxsize=1)
def names() -> Dict[str, str]:
    """Code -> short name, for every code."""
    found = dict(FILE_CODES)
    for file_name in sorted(os.listdir(_RULES_DIR)):
        if file_name.endswith(".py"):
            with open(os.path.join(_RULES_DIR, file_name), encoding="utf-8") as handle:
                found.update(_RULE_CODE.findall(handle.read()))
    return found


def doc_url(code: str) -> str:
    """The rule's section of docs/rules.md: GitHub anchors its "## EXP101 name" heading as #exp101-name."""
    from exportlint import DOCS_URL

    name = names().get(code)
    return f"{DOCS_URL}#{code.lower()}-{name}" if name else DOCS_URL


def known_codes() -> Tuple[str, ...]:
    return tuple(sorted(names()))


def _prefixes() -> Tuple[str, ...]:
    return tuple(sorted({code[:n] for code in known_codes() for n in range(1, len(code) + 1)}))


def unknown_selector_message(selector: str, option: str) -> str:
    closest = difflib.get_close_matches(selector, _prefixes(), n=1, cutoff=0.0)
    hint = f"; did you mean {closest[0]}?" if closest else ""
    return f"{option}: {selector!r} is not a rule code or a prefix of one{hint} (`exportlint --list-rules` lists them)"


def unknown_selectors(selectors: Iterable[str]) -> Tuple[str, ...]:
    """Selectors that no known code starts with."""
    codes = known_codes()
    return tuple(s for s in selectors if not any(code.startswith(s) for code in codes))
