"""EXP119: ``torch.tensor([...])`` of a list that holds tensors.

``torch.tensor([x.max(), x.min()])`` copies the elements' values into a new
tensor. Non-strict export runs it on fake tensors, which have no values, and
fails (RuntimeError). Strict export rewrites it and exports. Build the tensor
with tensor ops instead: ``torch.stack([x.max(), x.min()])``.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.data_dependent import code, is_loose_parameter
from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


class TensorOfTensors(Rule):
    meta = RuleMeta(
        code="EXP119",
        name="tensor-of-tensors",
        summary="torch.tensor() (or as_tensor) of a list or tuple literal holding tensors",
        why=(
            "torch.tensor copies values; in non-strict export the elements are fake tensors without values."
        ),
        instead="torch.stack([...]) of the tensors (reshape 0-d ones as needed), or torch.cat",
        cases=("tensor_of_tensors",),
        fix=NoAutofix("torch.stack of the tensors gives the same values; the rewrite depends on shapes: by hand"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if ctx.qualify(node.func) not in ("torch.tensor", "torch.as_tensor") or not node.args:
            return
        values = node.args[0].value
        if node.args[0].keyword or not isinstance(values, (cst.List, cst.Tuple)):
            return
        for element in values.elements:
            if isinstance(element, cst.StarredElement):
                continue
            if ctx.kind(element.value) is Kind.TENSOR and not is_loose_parameter(element.value, ctx):
                self.report(ctx, node, f"`torch.tensor()` of a list holding tensor `{code(element.value)}`",
                            behaviour)
                return
