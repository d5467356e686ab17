"""Every code exportlint can report, read without importing the rules.

Selectors are checked on every run, cached ones too, and a cached run never
imports the rules (they import LibCST: a second of start-up). So the codes are
read from the rule modules' text; a test keeps this list equal to the registry.
"""

from __future__ import annotations

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


def closest_selector(selector: str) -> str:
    """A letter O for a zero; else the one code a single typo away; else the
    longest valid start of what was typed (EXP9 -> EXP)."""
    valid = set(_prefixes())
    zeroed = selector[:3] + selector[3:].replace("O", "0")
    if zeroed in valid:
        return zeroed
    one_off = [p for p in valid if len(p) == len(selector) and sum(a != b for a, b in zip(p, selector)) == 1]
    if len(one_off) == 1:
        return one_off[0]
    for end in range(len(selector) - 1, 0, -1):
        if selector[:end] in valid and end >= 3:
            return selector[:end]
    return "EXP"


def unknown_selector_message(selector: str, option: str) -> str:
    return (
        f"{option}: {selector!r} is not a rule code or a prefix of one; did you mean {closest_selector(selector)}? "
        "(`exportlint --list-rules` lists them)"
    )


def unknown_selectors(selectors: Iterable[str]) -> Tuple[str, ...]:
    """Selectors that no known code starts with."""
    codes = known_codes()
    return tuple(s for s in selectors if not any(code.startswith(s) for code in codes))
