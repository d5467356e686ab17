"""EXP105: a tensor attribute of the module (buffer, parameter, tensor) tested in Python control flow.

``self.register_buffer("stride", torch.tensor(2))`` then ``if self.stride > 1:``
looks like configuration, but export lifts buffers, parameters and tensor
attributes into inputs of the program: their values are unknown while
tracing, and the branch is data-dependent. Keep configuration in Python
numbers (``self.stride = 2``); branch on real state with ``torch.cond``.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.data_dependent import first_offending, tests_of


class TensorAttributeCondition(Rule):
    meta = RuleMeta(
        code="EXP105",
        name="tensor-attribute-condition",
        summary="an if/while test or conditional expression on a buffer, parameter or tensor attribute set in __init__",
        why=(
            "export makes a module's tensors inputs of the program, not constants; a Python branch on their "
            "values is data-dependent."
        ),
        instead=(
            "store configuration as a Python number in __init__ (self.stride = 2), or branch with torch.cond / select "
            "with torch.where"
        ),
        cases=("buffer_condition",),
        fix=NoAutofix(
            "whether the attribute is configuration (a Python number) or state (torch.cond) is the author's "
            "call"
        ),
    )

    def _judge_test(self, node: cst.CSTNode, ctx, behaviour: Behaviour) -> None:
        test, where = tests_of(node)
        for wanted in (Kind.TENSOR, Kind.DATA):
            found = first_offending(test, ctx, wanted, attributes=True)
            if found is not None:
                operand, attrs = found
                names = ", ".join(f"`self.{a}`" for a in dict.fromkeys(attrs))
                self.report(ctx, operand, f"module tensor {names} tested in {where}", behaviour)
                return

    visit_If = visit_While = visit_IfExp = visit_CompIf = _judge_test
