"""EXP126: ``torch.autograd.grad(...)`` or ``tensor.backward()`` in code reachable from forward.

Models that return a gradient (forces as -dE/dx, saliency maps) differentiate
inside forward. Export captures an inference graph: strict export refuses both
calls ("using `torch.autograd.grad` with `torch._dynamo.config.trace_autograd_ops=False`",
"Unsupported Tensor.backward() call"); non-strict export runs them on fake
tensors and fails ("We found a fake tensor in the exported program constant's
list"). Measured on torch 2.13.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta

_GRAD_CALLS = frozenset({"torch.autograd.grad"})


class AutogradInForward(Rule):
    meta = RuleMeta(
        code="EXP126",
        name="autograd-in-forward",
        summary="`torch.autograd.grad(...)` or `tensor.backward()` in code reachable from forward",
        why="export traces the forward computation only; a backward pass inside it is not part of that graph.",
        instead=(
            "export the energy (or score) model and differentiate the exported program's outputs outside, or "
            "write the derivative out explicitly in forward"
        ),
        cases=("autograd_in_forward",),
        fix=NoAutofix("gradients in forward need another design: export forward alone, compute them outside"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        func = node.func
        if ctx.qualify(func) in _GRAD_CALLS:
            self.report(ctx, node, f"`{code(func)}()` differentiates inside forward", behaviour)
        elif isinstance(func, cst.Attribute) and func.attr.value == "backward" and ctx.kind(func.value) is Kind.TENSOR:
            self.report(ctx, node, f"`{code(func)}()` runs a backward pass inside forward", behaviour)
