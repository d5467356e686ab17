"""EXP101: a size in float arithmetic, rounded (``round``, ``math.ceil/floor/trunc``, ``int``), used as a bound.

``x[:, :round(x.shape[1] / 3)]`` makes export reason about ``round(n / 3)``
as a bound: with a named ``Dim`` it cannot prove the guards the bound needs
for the Dim's whole range and fails ("Constraints violated"); with
``Dim.AUTO`` it exported and matched eager on the lengths measured. Measured
on torch 2.13, each form as a slice bound (tests/recall: f7_*_slice, also
``round(n * 0.5)``) and ``round(n / k)`` as a ``torch.arange``/``torch.zeros``
size and a ``narrow()`` length. The same values used as multipliers or float
scales export (f7_round_mult, f7_ceil_mult), and ``math.ceil(n / 2)`` in a
``reshape`` exports in strict mode, so those uses are not reported.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from exportlint.analysis.export_sites import NAMED
from exportlint.analysis.kinds import Kind
from exportlint.analysis.scoped import ScopedFacts
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


_ROUNDING = {"round": "round()", "math.ceil": "math.ceil()", "math.floor": "math.floor()",
             "math.trunc": "math.trunc()", "int": "int()"}


def _float_arithmetic(node: cst.BaseExpression) -> bool:
    """`n / k` or `n * 0.5`: arithmetic whose result is a float (measured: both fail as bounds)."""
    if isinstance(node, cst.BinaryOperation):
        if isinstance(node.operator, cst.Divide) or isinstance(node.left, cst.Float):
            return True
        if isinstance(node.right, cst.Float):
            return True
        return _float_arithmetic(node.left) or _float_arithmetic(node.right)
    return False


class RoundSymbolicSize(Rule):
    meta = RuleMeta(
        code="EXP101",
        name="round-symbolic-size",
        summary=(
            "round(), math.ceil/floor/trunc or int() of float arithmetic on a size (n / k, n * 0.5), used as a slice "
            "bound, a torch.arange/torch.zeros size or a narrow() length"
        ),
        why=(
            "With a dynamic dimension the size is a symbol; as a slice bound, export must prove "
            "round(n / k) <= n for the whole range of the Dim, and it cannot for float rounding."
        ),
        instead=(
            'declare the dim as a multiple at the export call, e.g. 2 * Dim("h"), or use Dim.AUTO (under a named '
            'Dim, n // 2 fails the same way: measured on 2.13)'
        ),
        cases=("dynamic_shape_round",),
        fails_when="with a named Dim",
        fix=NoAutofix(
            "the fix is at the export call, not in this line"
        ),
    )

    def __init__(self) -> None:
        # Names bound to round(n / k), per scope: name -> the round() call.
        self._rounded: ScopedFacts[cst.Call] = ScopedFacts()
        self._reported: set = set()

    def _rounding_call(self, node: cst.BaseExpression, ctx) -> Optional[cst.Call]:
        if not isinstance(node, cst.Call) or len(node.args) != 1 or node.args[0].star or node.args[0].keyword:
            return None
        arg = node.args[0].value
        if ctx.builtin(node.func) in _ROUNDING and _float_arithmetic(arg) and ctx.kind(arg) is Kind.SIZE:
            return node
        return None

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        call = self._rounding_call(node.value, ctx)
        names = self._rounded.here(ctx.scope)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if call is not None:
                    names[target.target.value] = call
                else:
                    names.pop(target.target.value, None)

    def _bound_call(self, bound: cst.BaseExpression, ctx) -> Optional[cst.Call]:
        call = self._rounding_call(bound, ctx)
        if call is not None or not isinstance(bound, cst.Name):
            return call
        return self._rounded.get(ctx.scope, bound.value)

    def _use(self, bound: cst.BaseExpression, ctx, behaviour: Behaviour, use: str) -> None:
        call = self._bound_call(bound, ctx)
        if call is not None and id(call) not in self._reported:
            self._reported.add(id(call))
            label = _ROUNDING[ctx.builtin(call.func)]
            size = call.args[0].value
            flavour = ctx.size_flavour(size)
            if flavour is None:  # no export call or setting says: the dim may be a named Dim
                self.report(ctx, call, f"{label} of symbolic size `{code(size)}` used as {use}", behaviour)
            elif flavour.flavour == NAMED:  # static: a constant; Dim.AUTO/DYNAMIC: exports (measured)
                self.report(ctx, call, f"{label} of `{code(size)}` used as {use}: {flavour.describe()}", behaviour)

    def visit_Subscript(self, node: cst.Subscript, ctx, behaviour: Behaviour) -> None:
        for element in node.slice:
            piece = element.slice
            if isinstance(piece, cst.Slice):
                for bound in (piece.lower, piece.upper):
                    if bound is not None:
                        self._use(bound, ctx, behaviour, "a slice bound")

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        """Measured size uses: torch.arange's end, torch.zeros' size, narrow's length. (view/reshape: strict export of
        math.ceil(n / 2) in a reshape exports, so they are not reported.)"""
        func = node.func
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        qualified = ctx.qualify(func)
        if qualified in ("torch.arange", "torch.zeros"):
            for arg in positional:
                self._use(arg, ctx, behaviour, f"a {qualified}() size")
        elif isinstance(func, cst.Attribute) and ctx.kind(func.value) is Kind.TENSOR:
            method = func.attr.value
            if method == "narrow" and len(positional) == 3:
                self._use(positional[2], ctx, behaviour, "a narrow() length")
