"""EXP217: ``in`` / ``not in`` test of a size against a Python list, tuple or set.

``if x.shape[1] in [4, 8, 16]:`` compares the size with each element in turn:
export decides the test on the example and keeps one branch, guarded. With
``Dim.AUTO`` the program then rejects sizes on the other side; with a named
``Dim`` export fails ("Constraints violated"). Like EXP212, the linter cannot
see which dims are dynamic, so a static dim (channels) is reported too.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.data_dependent import bool_operands, tests_of
from exportlint.analysis.kinds import Kind
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta

_SEQUENCES = (cst.List, cst.Tuple, cst.Set)


class SizeMembershipTest(Rule):
    meta = RuleMeta(
        code="EXP217",
        name="size-membership-test",
        summary="`size in [a, b, ...]` (or `not in`): a tensor's size tested against a Python list, tuple or set",
        why=(
            "The membership test is decided at trace time on the example's size; export keeps the result as a "
            "guard, so other sizes are rejected (Dim.AUTO) or the export fails (named Dim)."
        ),
        instead=(
            "compute the result for every size without Python control flow (torch.where), or declare the dim "
            "static, or give the Dim the range the branch needs"
        ),
        cases=("size_membership_test",),
        specializes='keeps only the branch the example took: with Dim.AUTO the program rejects sizes on the other '
                    'side, with a named Dim export fails ("Constraints violated")',
        fix=NoAutofix("the membership test must become a comparison export can guard, or the dim static"),
    )

    def _judge_test(self, node: cst.CSTNode, ctx, behaviour: Behaviour) -> None:
        test, where = tests_of(node)
        for operand in bool_operands(test):
            if isinstance(operand, cst.Comparison) and self._membership(operand, ctx, behaviour, where):
                return

    visit_If = visit_While = visit_IfExp = _judge_test

    def _membership(self, node: cst.Comparison, ctx, behaviour: Behaviour, where: str) -> bool:
        left = node.left
        for target in node.comparisons:
            if (
                isinstance(target.operator, (cst.In, cst.NotIn))
                and isinstance(target.comparator, _SEQUENCES)
                and ctx.kind(left) is Kind.SIZE
            ):
                self.report(ctx, node, f"symbolic size `{code(left)}` tested with `in` against "
                            f"`{code(target.comparator)}` in {where}", behaviour)
                return True
            left = target.comparator
        return False
