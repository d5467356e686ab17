"""EXP120: ``.data`` of a tensor, parameter or buffer in code reachable from forward.

``self.proj.weight.data.mul_(0.5)``, ``self.gain.data = ...``, ``w = self.w.data``,
even ``x.data > 0``: ``.data`` hands out a tensor that autograd and export's
functionalization do not track. Measured on torch 2.13: non-strict export
fails ("We found a fake tensor in the exported program constant's list");
strict export succeeds but the program is wrong (the write is lost, it returns
fake tensors, or it raises when called). Use the tensor itself (``detach()`` to
cut autograd), update buffers in place, and edit weights before export.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


def _is_tensor_like(value: cst.BaseExpression, ctx) -> bool:
    """A tensor, or an attribute of a submodule (``self.proj.weight``): a parameter or buffer."""
    if ctx.kind(value) is Kind.TENSOR:
        return True
    return isinstance(value, cst.Attribute) and ctx.kind(value.value) is Kind.MODULE


class TensorDataInForward(Rule):
    meta = RuleMeta(
        code="EXP120",
        name="tensor-data-in-forward",
        summary="`.data` of a tensor, parameter or buffer (read, assigned or changed in place) in code reachable "
                "from forward",
        why=(
            "`.data` is an untracked alias of the tensor: export's functionalization cannot see reads or writes "
            "through it, so the traced values leak out of the graph as constants."
        ),
        instead=(
            "use the tensor itself (`.detach()` to stop gradients); update buffers in place without `.data` "
            "(self.buf.copy_(...)); change weights once, before export"
        ),
        cases=("tensor_data_in_forward",),
        specializes=("succeeds, but the program differs from eager (writes through `.data` are lost, reads return "
                     "fake tensors or raise when the program runs)"),
        fix=NoAutofix("what `.data` was for (a detached read, an in-place update) decides the rewrite"),
    )

    def __init__(self) -> None:
        self._statement: Optional[int] = None
        self._reported: Optional[int] = None

    def _enter(self, node: cst.CSTNode) -> None:
        self._statement = id(node)

    def visit_SimpleStatementLine(self, node, ctx, behaviour: Behaviour) -> None:
        self._enter(node)

    visit_If = visit_While = visit_For = visit_With = visit_SimpleStatementLine

    def visit_Attribute(self, node: cst.Attribute, ctx, behaviour: Behaviour) -> None:
        if node.attr.value != "data" or not _is_tensor_like(node.value, ctx):
            return
        if self._reported is not None and self._reported == self._statement:
            return  # one finding per statement: `p.data = p.data.clamp(...)` is one mistake
        self._reported = self._statement
        self.report(ctx, node, f"`{code(node)}` in traced code", behaviour)
