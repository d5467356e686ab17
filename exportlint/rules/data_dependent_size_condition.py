"""EXP115: a Python test on the size of nonzero(), unique(), masked_select(), x[mask] or torch.where(c).

``idx = torch.nonzero(x > 0); if idx.shape[0] == 0: ...`` branches on how many
elements the data selected. export gives that size an unbacked symbol and
cannot decide the test for every value: it fails in both modes ("Could not
guard on data-dependent expression"). Arithmetic on such a size (``n // 2``
as a slice bound, ``torch.zeros(n * 2)``) exports; only decisions fail.
Compute both results and select with ``torch.where``, use ``torch.cond``, or
state the answer with ``torch._check`` when it is known.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.data_dependent import CheckedValues, bool_operands, code, tests_of
from exportlint.analysis.kinds import DataDependentLengths
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


class DataDependentSizeCondition(Rule):
    meta = RuleMeta(
        code="EXP115",
        name="data-dependent-size-condition",
        summary=(
            "an if/while test or conditional expression on the size of nonzero(), unique(), masked_select(), x[mask], "
            "torch.where(cond) or repeat_interleave(tensor)"
        ),
        why=(
            "How many elements the data selects is an unbacked symbol at trace time; a Python branch on it "
            "cannot be decided for every value."
        ),
        instead=(
            "compute both results and select with torch.where, branch with torch.cond, or assert the known answer "
            "with torch._check before the test"
        ),
        cases=("nonzero_size_condition",),
        fix=NoAutofix("the branch must be rewritten with torch.cond or a torch._check by hand"),
    )

    def __init__(self) -> None:
        self._lengths = DataDependentLengths()
        self._checks = CheckedValues()

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        for target in node.targets:
            self._lengths.bind(target.target, node.value, ctx.classifier, ctx.scope)

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        self._checks.note(node, ctx)

    def _counts(self, operand: cst.BaseExpression, ctx) -> bool:
        sides = [operand]
        if isinstance(operand, cst.Comparison):
            sides = [operand.left] + [c.comparator for c in operand.comparisons]
        return any(self._lengths.is_count(side, ctx.classifier, ctx.scope) for side in sides)

    def _judge_test(self, node: cst.CSTNode, ctx, behaviour: Behaviour) -> None:
        test, where = tests_of(node)
        for operand in bool_operands(test):
            if self._counts(operand, ctx) and not self._checks.decides(operand, ctx.scope):
                self.report(ctx, operand, f"`{code(operand)}` tests a size read from tensor data, in {where}",
                            behaviour)
                return

    visit_If = visit_While = visit_IfExp = visit_CompIf = _judge_test
