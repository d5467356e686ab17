"""EXP121: ``Tensor.resize_()`` / ``resize_as_()`` in code reachable from forward.

``out = x.new_empty(0); out.resize_(n, 4)`` allocates by resizing storage in
place. Strict export (TorchDynamo) refuses the call ("Unsupported
Tensor.resize_() call"); non-strict export records it and the program agrees
with eager (measured on torch 2.13), so only strict targets are told.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.analysis.sizes import code
from exportlint.rule import FAILS, STRICT, Behaviour, Rule, RuleMeta

_RESIZES = frozenset({"resize_", "resize_as_"})


class ResizeInForward(Rule):
    meta = RuleMeta(
        code="EXP121",
        name="resize-in-forward",
        summary="`tensor.resize_()` or `tensor.resize_as_()` in code reachable from forward",
        why="Resizing a tensor's storage in place is a metadata mutation that TorchDynamo does not trace.",
        instead="allocate the tensor at its final shape (x.new_empty(n, 4), torch.empty_like(x)) or use reshape",
        cases=("resize_in_forward",),
        behaviours=(
            Behaviour(FAILS, 'fails ("Unsupported Tensor.resize_() call")', versions=">=2.13", modes=(STRICT,)),
        ),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _RESIZES and ctx.kind(func.value) is Kind.TENSOR:
            self.report(ctx, node, f"`{code(func)}()` resizes a tensor in place", behaviour)
