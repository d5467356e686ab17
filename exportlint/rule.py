"""What a rule is: its metadata (the one source of its docs) and its visitor."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Dict, Optional, Tuple

import libcst as cst
from packaging.version import Version

from exportlint.diagnostic import Severity
from exportlint.fix import UNDECLARED, FixSpec, message_suffix
from exportlint.target import Target

if TYPE_CHECKING:
    from exportlint.context import FileContext
    from exportlint.fixes.rewrite import Rewrite

_ONE_LINE = re.compile(r"\s*[\r\n]\s*")

STRICT = "strict"
NON_STRICT = "non-strict"
BOTH_MODES = (STRICT, NON_STRICT)

FAILS = "fails"  # export raises
SPECIALIZES = "specializes"  # export succeeds; the program bakes in a value or drops an effect


@dataclass(frozen=True)
class Behaviour:
    """What export does with a rule's pattern on one torch release and mode:
    derived from the measured outcomes of the rule's cases (see claims.py).

    ``effect`` is what the message says export does there, e.g.
    'fails (UserError: "Constraints violated")'. ``release`` is the measured
    release the claim comes from (None: the hand rows of a case the sweep has
    not measured there); ``some_forms`` is set when the rule's cases disagree and
    the strongest outcome won.
    """

    outcome: str
    effect: str
    mode: str
    release: Optional[Version] = None
    some_forms: bool = False
    cases: Tuple[str, ...] = ()  # the cases (and forms) whose outcome this is

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self.outcome == FAILS else Severity.WARNING


@dataclass(frozen=True)
class RuleMeta:
    code: str
    name: str  # kebab-case short name
    summary: str  # what the rule finds, one line
    why: str  # why export cares
    instead: str  # what to write instead
    cases: Tuple[str, ...]  # catalog case names that show the pattern; their measured outcomes are the claims
    # What a specialised program does differently (the message where a case measured "specializes").
    specializes: str = "exports, but the program differs from eager on other inputs"
    # When the failure happens, where the cases show one condition of it (e.g. "with a named Dim").
    fails_when: str = ""
    graph_break: str = ""  # dynamo graph-break id of the strict failure, if any
    fix: FixSpec = UNDECLARED  # whether and how findings are rewritten (exportlint.fix)

    def behaviour_for(self, target: Target) -> Optional[Behaviour]:
        """The claim for the target, from the cases' measured outcomes; None: silent."""
        from exportlint.claims import rule_behaviour  # reads the cases and the data file

        return rule_behaviour(self, target.torch, target.mode)


class Rule:
    """A check. Subclasses set ``meta`` and define ``visit_<Node>(node, ctx)``
    methods, called for nodes inside traced functions, in source order, with
    the names bound before the node already classified."""

    meta: ClassVar[RuleMeta]
    handlers: ClassVar[Dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = {
            name[len("visit_"):]: name for name in dir(cls) if name.startswith("visit_")
        }
        if hasattr(cls, "check_site"):  # called once per export call of the file, with its ExportSite
            cls.handlers["site"] = "check_site"

    def report(
        self,
        ctx: "FileContext",
        node: cst.CSTNode,
        what: str,
        behaviour: Behaviour,
        fix: Optional["Rewrite"] = None,
        no_fix: str = "",
    ) -> None:
        """Report ``what`` is wrong at ``node``, with what export does and the fix.

        ``fix`` rewrites this finding; ``no_fix`` says why this one has none
        (default: the reason the rule's ``meta.fix`` declares)."""
        what = _ONE_LINE.sub(" ", what)  # an expression's source may span lines; a finding is one line
        message = (
            f"{what}: {ctx.target.describe()} export {behaviour.effect}; "
            f"{self.meta.instead} [{self.meta.name}]"
            f"{message_suffix(self.meta.fix, fix.safety if fix else '', no_fix)}"
        )
        ctx.add(node, self.meta, message, behaviour.severity, fix)
