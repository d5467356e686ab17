"""EXP132: ``if``/``while`` comparing a dim declared dynamic with a constant.

``if x.shape[1] == 8`` on ``{1: Dim("t")}`` (or ``Dim.DYNAMIC``): export takes
the branch of the example and, to keep it, must fix t to 8: "You marked t as
dynamic but your code specialized it to be a constant (8)". A threshold
(``if n > 4``) narrows a named Dim's range, which fails too ("Constraints
violated"). With ``Dim.AUTO`` both export, guarded (EXP212 warns there).
Comparisons against 0 or 1 are silent: export assumes dynamic dims are >= 2.
"""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from exportlint.analysis.export_sites import DYNAMIC, NAMED
from exportlint.analysis.flavours import SizeFlavour
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.rules.branch_on_symbolic_size import _has_and, _only_raises

_EQUALITY = (cst.Equal, cst.NotEqual)
_THRESHOLD = (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)


def decided(op: cst.BaseCompOp, value: int, size_on_left: bool) -> bool:
    """n vs 0/1, n >= 2, n < 2: export already knows (dynamic dims are at least 2)."""
    if value <= 1:
        return True
    if value == 2:
        low = (cst.GreaterThanEqual, cst.LessThan) if size_on_left else (cst.LessThanEqual, cst.GreaterThan)
        return isinstance(op, low)
    return False


def named_comparison(test: cst.BaseExpression, ctx) -> Optional[Tuple[cst.Comparison, SizeFlavour]]:
    """The first `dim <op> constant` in test whose dim is a named Dim (or Dim.DYNAMIC, for ==/!=)."""
    if isinstance(test, cst.BooleanOperation):
        return named_comparison(test.left, ctx) or named_comparison(test.right, ctx)
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return named_comparison(test.expression, ctx)
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    op, right = test.comparisons[0].operator, test.comparisons[0].comparator
    left = test.left
    size_on_left = isinstance(right, cst.Integer)
    size, constant = (left, right) if size_on_left else (right, left)
    if not isinstance(constant, cst.Integer) or not isinstance(op, _EQUALITY + _THRESHOLD):
        return None
    if decided(op, int(constant.evaluated_value), size_on_left):
        return None
    flavour = ctx.size_flavour(size)
    if flavour is None:
        return None
    if flavour.flavour == NAMED or (flavour.flavour == DYNAMIC and isinstance(op, _EQUALITY)):
        return test, flavour
    return None


class BranchOnNamedDim(Rule):
    meta = RuleMeta(
        code="EXP132",
        name="branch-on-named-dim",
        summary="an if/while/conditional expression comparing a dim declared as a named Dim with a constant",
        why=(
            "The branch is decided on the example; keeping it means fixing the dim (==) or narrowing its range "
            "(>, <), both of which contradict a dim declared dynamic."
        ),
        instead=(
            "compute both cases without Python control flow (torch.where, torch.cond), set the Dim's min/max to "
            "the branch's range, declare the dim static if it is, or use Dim.AUTO"
        ),
        cases=("branch_on_named_dim",),
        fix=NoAutofix("declare the dim Dim.AUTO, or give the Dim bounds that decide the test, at the export call"),
    )

    def _check(self, test: cst.BaseExpression, ctx, behaviour: Behaviour) -> None:
        found = named_comparison(test, ctx)
        if found is not None:
            comparison, flavour = found
            self.report(ctx, comparison, f"`{code(comparison)}` branches on a dim: {flavour.describe()}", behaviour)

    def visit_If(self, node: cst.If, ctx, behaviour: Behaviour) -> None:
        if _only_raises(node.body) and node.orelse is None and not _has_and(node.test):
            return  # validation: the guard rejects exactly the sizes eager raises for
        self._check(node.test, ctx, behaviour)

    def visit_While(self, node: cst.While, ctx, behaviour: Behaviour) -> None:
        self._check(node.test, ctx, behaviour)

    def visit_IfExp(self, node: cst.IfExp, ctx, behaviour: Behaviour) -> None:
        self._check(node.test, ctx, behaviour)
