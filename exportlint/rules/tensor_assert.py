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
from exportlint.fix import UNSAFE, Autofix, Form
from exportlint.fixes.rewrite import Replace, Rewrite, code as source, module_alias
from exportlint.rule import Behaviour, Rule, RuleMeta
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
        fix=Autofix(
            forms=(
                Form('assert t, "msg" -> torch._assert_async(t, "msg")', UNSAFE,
                     "a failed check raises RuntimeError instead of AssertionError, and python -O no longer "
                     "removes it"),
            ),
            otherwise=(
                "only an assert whose whole test is one tensor, with no message or a plain string message, "
                "maps onto torch._assert_async"
            ),
        ),
    )

    def visit_Assert(self, node: cst.Assert, ctx, behaviour: Behaviour) -> None:
        for operand in bool_operands(node.test):
            if ctx.kind(operand) is Kind.TENSOR and not is_loose_parameter(operand, ctx):
                fix = _as_op(node, operand, ctx)
                self.report(ctx, operand, f"`assert` on tensor `{code(operand)}`", behaviour, fix)
                return


def _as_op(node: cst.Assert, operand: cst.BaseExpression, ctx):
    torch = module_alias(ctx, "torch")
    message = node.msg
    plain_message = message is None or (isinstance(message, cst.SimpleString) and "b" not in message.prefix.lower())
    if torch is None or operand is not node.test or not plain_message:
        return None
    args = source(node.test) + (f", {source(node.msg)}" if node.msg is not None else "")
    return Rewrite(UNSAFE, "use torch._assert_async", (Replace(node, f"{torch}._assert_async({args})"),))
