"""EXP101: ``round()`` of a size divided with ``/``, used as a slice bound.

``x[:, :round(x.shape[1] / 3)]`` makes export reason about ``round(n / 3)``
as a bound: with a named ``Dim`` it cannot prove the bound stays within
``n`` for the whole range and fails ("Constraints violated"); with
``Dim.AUTO`` it exports but specialises. Measured on torch 2.13, and only
this form and use: the same value used as a multiplier exports, and
``math.ceil``/``math.floor``/``math.trunc``/``int()`` of ``n / k`` as slice
bounds export and match eager, so they are not reported. Integer arithmetic
(``n // 3``) on the dim exports too.
"""

from __future__ import annotations

from typing import Dict, Optional

import libcst as cst

from exportlint.analysis.kinds import Kind, Scope
from exportlint.analysis.sizes import code
from exportlint.rule import FAILS, Behaviour, Rule, RuleMeta


def _has_true_division(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.BinaryOperation):
        return (
            isinstance(node.operator, cst.Divide)
            or _has_true_division(node.left)
            or _has_true_division(node.right)
        )
    return False


class RoundSymbolicSize(Rule):
    meta = RuleMeta(
        code="EXP101",
        name="round-symbolic-size",
        summary="round(n / k) of a size read from a tensor's shape, used as a slice bound",
        why=(
            "With a dynamic dimension the size is a symbol; as a slice bound, export must prove "
            "round(n / k) <= n for the whole range of the Dim, and it cannot for float rounding."
        ),
        instead=(
            'use integer arithmetic (n // 2, (n + 1) // 2) and declare the dim as a multiple, e.g. 2 * Dim("h"), or '
            'use Dim.AUTO'
        ),
        cases=("dynamic_shape_round",),
        behaviours=(
            Behaviour(
                FAILS,
                'fails with a named Dim ("Constraints violated"); with Dim.AUTO it exports but may reject other sizes',
                versions=">=2.1",
            ),
        ),
    )

    def __init__(self) -> None:
        # Names bound to round(n / k), per scope: name -> the round() call.
        self._rounded: Dict[int, tuple] = {}
        self._reported: set = set()

    def _rounding_call(self, node: cst.BaseExpression, ctx) -> Optional[cst.Call]:
        if not isinstance(node, cst.Call) or len(node.args) != 1 or node.args[0].star or node.args[0].keyword:
            return None
        arg = node.args[0].value
        if ctx.builtin(node.func) == "round" and _has_true_division(arg) and ctx.kind(arg) is Kind.SIZE:
            return node
        return None

    def _names(self, scope: Scope) -> Dict[str, cst.Call]:
        entry = self._rounded.get(id(scope))
        if entry is None or entry[0] is not scope:
            entry = (scope, {})
            self._rounded[id(scope)] = entry
        return entry[1]

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        call = self._rounding_call(node.value, ctx)
        names = self._names(ctx.scope)
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
        scope: Optional[Scope] = ctx.scope
        while scope is not None:
            entry = self._rounded.get(id(scope))
            if entry is not None and entry[0] is scope and bound.value in entry[1]:
                return entry[1][bound.value]
            if bound.value in scope.names:
                return None
            scope = scope.parent
        return None

    def visit_Subscript(self, node: cst.Subscript, ctx, behaviour: Behaviour) -> None:
        for element in node.slice:
            piece = element.slice
            if not isinstance(piece, cst.Slice):
                continue
            for bound in (piece.lower, piece.upper):
                call = self._bound_call(bound, ctx) if bound is not None else None
                if call is not None and id(call) not in self._reported:
                    self._reported.add(id(call))
                    self.report(ctx, call, f"round() of symbolic size `{code(call.args[0].value)}` used as a "
                                "slice bound", behaviour)
