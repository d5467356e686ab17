"""EXP141: ``torch.as_tensor`` of sizes read from a tensor's shape.

``torch.as_tensor(spatial_shapes_list)`` (deformable DETR and the detectors
built on it, after ``spatial_shapes_list.append((height, width))``) or
``torch.as_tensor((h, w))``: export turns each size into a constant and guards
the program with it, in strict and non-strict mode alike. With a named ``Dim``
export fails ("Constraints violated"); with ``Dim.AUTO`` the program accepts
only the example's sizes. ``torch.tensor`` of the same sizes keeps them
symbolic (measured, both modes, from torch 2.7; non-strict export on 2.5 and
2.6 fixes them too): write that.

Reported: a size itself (qwenimage's ``torch.as_tensor(text_seq_len)``), a
list or tuple literal holding one, and a local list that had a size (or a tuple
holding one) appended or assigned before the call.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.analysis.scoped import ScopedFacts
from exportlint.analysis.sizes import code
from exportlint.fix import SAFE, Autofix, Form
from exportlint.fixes.rewrite import Replace, Rewrite
from exportlint.rule import Behaviour, Rule, RuleMeta


class AsTensorOfSizes(Rule):
    meta = RuleMeta(
        code="EXP141",
        name="as-tensor-of-sizes",
        summary="torch.as_tensor() of sizes read from a tensor's shape",
        why=(
            "torch.as_tensor makes each symbolic size a constant, so export fixes the dims it came from to the "
            "example's values; torch.tensor of the same sizes keeps them symbolic."
        ),
        instead=(
            "build it with torch.tensor(...) (same dtype and device arguments), which keeps the sizes symbolic "
            "(non-strict export before torch 2.7 fixes them either way)"
        ),
        cases=("as_tensor_of_sizes",),
        fails_when="with a named Dim",
        specializes="bakes the sizes in: the program accepts only the example's sizes",
        fix=Autofix(
            forms=(
                Form("torch.as_tensor(sizes, ...) -> torch.tensor(sizes, ...)", SAFE,
                     "of a list or tuple of numbers both build a new tensor with the same values, dtype and device"),
            ),
            otherwise="as_tensor is not spelled torch.as_tensor here",
        ),
    )

    def __init__(self) -> None:
        self._lists: ScopedFacts[bool] = ScopedFacts()  # local name -> it holds a size

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        literal = isinstance(node.value, (cst.List, cst.Tuple))
        for target in node.targets:
            if isinstance(target.target, cst.Name):  # a list literal is followed (False: no size yet), the rest not
                holds = self._holds_size(node.value, ctx) if literal else None
                self._lists.record(ctx.scope, target.target.value, holds)

    def _holds_size(self, node: cst.BaseExpression, ctx) -> bool:
        """A size, a list/tuple literal holding one (at any depth), or a local name bound to such a
        literal or appended one (``spatial_shape = (height, width)``)."""
        if isinstance(node, (cst.List, cst.Tuple)):
            return any(not isinstance(e, cst.StarredElement) and self._holds_size(e.value, ctx)
                       for e in node.elements)
        if isinstance(node, cst.Name) and self._lists.get(ctx.scope, node.value) is not None:
            return self._lists.get(ctx.scope, node.value) is True
        return ctx.kind(node) is Kind.SIZE

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        func = node.func
        if (isinstance(func, cst.Attribute) and func.attr.value in ("append", "extend")
                and isinstance(func.value, cst.Name) and len(node.args) == 1
                and self._lists.get(ctx.scope, func.value.value) is not None):
            if self._holds_size(node.args[0].value, ctx):
                self._lists.record(ctx.scope, func.value.value, True)
            return
        if ctx.qualify(func) != "torch.as_tensor" or not node.args or node.args[0].keyword or node.args[0].star:
            return
        data = node.args[0].value
        if self._holds_size(data, ctx):
            self.report(ctx, node, f"`torch.as_tensor()` of symbolic sizes in `{code(data)}`", behaviour,
                        _to_tensor(func))


def _to_tensor(func: cst.BaseExpression) -> Optional[Rewrite]:
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        return Rewrite(SAFE, "use torch.tensor", (Replace(func, f"{func.value.value}.tensor"),))
    return None
