"""What a rule says about fixing its findings, and the text edits a fix is made of.

Below rule.py and diagnostic.py (it imports neither), so both can use it.
A rule's ``RuleMeta.fix`` declares, once, whether its findings can be
rewritten and how safe that is; docs/rules.md, ``--explain`` and every
message read that declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple, Union

SAFE = "safe"  # the rewrite means the same in eager: applied by --fix
UNSAFE = "unsafe"  # the meaning may change in eager: applied only with --unsafe-fixes


@dataclass(frozen=True)
class Form:
    """One rewrite a rule knows, e.g. ``torch.sym_min(a, b) -> min(a, b)``."""

    rewrite: str
    safety: str
    why: str = ""  # why an unsafe form is unsafe, or what a safe one assumes


@dataclass(frozen=True)
class Autofix:
    """The rule rewrites the forms listed; other findings of it get ``otherwise``."""

    forms: Tuple[Form, ...]
    otherwise: str = ""  # why findings outside the forms have no fix


@dataclass(frozen=True)
class NoAutofix:
    """The rule's findings need a human: ``reason`` says why."""

    reason: str


FixSpec = Union[Autofix, NoAutofix]
UNDECLARED = NoAutofix("")  # rules that have not declared anything yet


@dataclass(frozen=True)
class Edit:
    """Replace the text from (line, column) up to (end_line, end_column) with ``text``.

    Lines are 1-based, columns 1-based in characters (as in Diagnostic); an
    empty range inserts. Lines are split as Python splits them (\\r\\n, \\r, \\n).
    """

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass(frozen=True)
class Fix:
    """The edits that fix one finding, all or nothing."""

    safety: str
    title: str  # what the rewrite does, for --diff readers and editor quick fixes
    edits: Tuple[Edit, ...]


def message_suffix(spec: FixSpec, fix_safety: str = "", reason: str = "") -> str:
    """What a finding's message says about fixing it."""
    if fix_safety == SAFE:
        return "; safe fix: exportlint --fix"
    if fix_safety == UNSAFE:
        return "; unsafe fix: exportlint --fix --unsafe-fixes"
    why = reason or (spec.otherwise if isinstance(spec, Autofix) else spec.reason)
    return f"; no automatic fix: {why}" if why else "; no automatic fix"
