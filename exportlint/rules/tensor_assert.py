"""EXP109: ``assert`` on a tensor.

``assert (x >= 0).all(), "negative input"`` calls ``bool()`` on a tensor.
Strict export turns it into a runtime assertion of the program; non-strict
export has no value to test and fails with GuardOnDataDependentSymNode.
``assert`` on an ``.item()`` value exports in both modes. Use
``torch._assert_async(cond, msg)``, which is an op of the graph.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.rule import FAILS, NON_STRICT, Behaviour, Rule, RuleMeta
from exportlint.analysis.data_dependent import bool_operands, code, is_loose_parameter


class TensorAssert(Rule):
    meta = RuleMeta(
        code="EXP109",
        name="tensor-assert",
        summary="an assert statement whose test is a tensor",
        why=(
            "non-strict export runs forward on fake tensors: `assert` needs a Python bool of the tensor's data, "
            "which does not exist at trace time."
        ),
        instead="use torch._assert_async(cond, msg), which the graph keeps as a runtime check",
        cases=("tensor_assert",),
        behaviours=(
            Behaviour(
                FAILS, 'fails (GuardOnDataDependentSymNode: "Could not guard on data-dependent expression")',
                versions=">=2.13", modes=(NON_STRICT,),
            ),
        ),
    )

    def visit_Assert(self, node: cst.Assert, ctx, behaviour: Behaviour) -> None:
        for operand in bool_operands(node.test):
            if ctx.kind(operand) is Kind.TENSOR and not is_loose_parameter(operand, ctx):
                self.report(ctx, operand, f"`assert` on tensor `{code(operand)}`", behaviour)
                return
