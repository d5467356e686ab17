"""EXP203: calling a helper decorated with ``assume_constant_result`` on tensors.

``@torch._dynamo.assume_constant_result`` (or ``torch.compiler.``) tells
strict export to run the helper once and keep its result as a constant:
``feats[: self.rows_to_keep(count)]`` slices by the example's count for
every input. Non-strict export ignores the decorator and traces the helper.
Trace the value instead: ``n = count.item()`` with ``torch._check`` bounds.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.data_dependent import code

_DECORATORS = {"torch._dynamo.assume_constant_result", "torch.compiler.assume_constant_result"}


class AssumeConstantResult(Rule):
    meta = RuleMeta(
        code="EXP203",
        name="assume-constant-result",
        summary="a call, with tensor arguments, of a function decorated with assume_constant_result",
        why=(
            "strict export evaluates the decorated function on the example inputs and bakes its result into "
            "the program as a constant, whatever the inputs are later."
        ),
        instead="drop the decorator and trace the value: n = t.item() with torch._check bounds, or keep it a tensor",
        cases=("assume_constant_result",),
        specializes="bakes in the result the function had on the example inputs",
        fix=NoAutofix(
            "without the decorator export traces the helper, which then needs its data-dependent values "
            "bounded with torch._check: what the bounds are is the author's knowledge"
        ),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if ctx.function is None:
            return
        callee = ctx.model_map.callee(node, ctx.function)
        if callee is None:
            return
        decorated = any(ctx.qualify(d.decorator) in _DECORATORS for d in callee.node.decorators)
        if decorated and any(ctx.kind(a.value) in (Kind.TENSOR, Kind.DATA) for a in node.args):
            self.report(
                ctx, node,
                f"`{code(node.func)}()` is marked assume_constant_result and called on tensors",
                behaviour,
            )
