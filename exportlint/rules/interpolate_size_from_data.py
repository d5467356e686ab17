"""EXP137: bilinear/bicubic ``F.interpolate`` with ``align_corners=True`` to a size read from tensor data.

ViLT resizes its position grid to each image's patch grid, read out of the
pixel mask: ``F.interpolate(grid, size=(h, w), mode="bilinear",
align_corners=True)`` with ``h, w`` iterated out of a tensor. The kernel
computes its scale from ``h - 1`` and guards ``h > 1``, which export cannot
decide for a value it does not have. Measured on torch 2.13 (case
interpolate_size_from_data, and transformers' ViLT): fails in both modes
("Could not guard on data-dependent expression u0 > 1"), the same with
``h.item()``; ``mode="nearest"``, or ``align_corners=False``, with the same
sizes export, so they are not reported. ``torch._check(h > 1)`` on the value
read with ``.item()``/``.tolist()`` decides the guard.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from exportlint.analysis.data_dependent import CheckedValues, code, is_loose_parameter
from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta

_INTERPOLATE = frozenset({"torch.nn.functional.interpolate", "torch.nn.functional.upsample"})
_GUARDED_MODES = frozenset({"bilinear", "bicubic"})  # measured; linear/trilinear were not
# interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, ...)
_POSITION = {"size": 1, "mode": 3, "align_corners": 4}


def _argument(call: cst.Call, name: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    index = _POSITION[name]
    return positional[index].value if index < len(positional) else None


class InterpolateSizeFromData(Rule):
    meta = RuleMeta(
        code="EXP137",
        name="interpolate-size-from-data",
        summary=(
            "F.interpolate(mode='bilinear' or 'bicubic', align_corners=True) to a size that is a tensor "
            "or a value read from tensor data"
        ),
        why=(
            "The interpolation kernel needs the output size to be greater than 1 (it divides by size - 1); "
            "for a size read from the data export has no value to decide that with."
        ),
        instead=(
            "read the size with .item()/.tolist() and state its range before the call: "
            "torch._check(h > 1); torch._check(w > 1)"
        ),
        cases=("interpolate_size_from_data",),
        fix=NoAutofix("the range of the size is the user's knowledge: torch._check(h > 1) must be written by hand"),
    )

    def __init__(self) -> None:
        self._checks = CheckedValues()

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        self._checks.note(node, ctx)
        if ctx.qualify(node.func) not in _INTERPOLATE:
            return
        mode, align, size = (_argument(node, n) for n in ("mode", "align_corners", "size"))
        if not (isinstance(mode, cst.SimpleString) and mode.evaluated_value in _GUARDED_MODES):
            return
        if not (isinstance(align, cst.Name) and align.value == "True"):
            return
        items = [e.value for e in size.elements] if isinstance(size, (cst.Tuple, cst.List)) else [size]
        from_data = [item for item in items if item is not None and self._unchecked_data(item, ctx)]
        if from_data:
            sizes = ", ".join(f"`{code(item)}`" for item in from_data)
            what = f"interpolation with align_corners=True to {sizes}, read from tensor data"
            self.report(ctx, node, what, behaviour)

    def _unchecked_data(self, item: cst.BaseExpression, ctx) -> bool:
        kind = ctx.kind(item)
        if kind is Kind.TENSOR:
            return True
        if kind is not Kind.DATA or is_loose_parameter(item, ctx):
            return False
        # torch._check(h > 1) before the call decides the kernel's guard (measured: exports)
        above_one = cst.Comparison(item, [cst.ComparisonTarget(cst.GreaterThan(), cst.Integer("1"))])
        return not self._checks.decides(above_one, ctx.scope)
