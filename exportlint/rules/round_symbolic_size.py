"""EXP101: rounding a symbolic size with float arithmetic.

``x[: round(x.shape[0] / 2)]`` makes export reason about ``round(n / 2)``; with
a named ``Dim`` it cannot prove the slice bound stays within ``n`` and fails
with "Constraints violated". Integer arithmetic on a dim declared as a multiple
(``n // 2`` with ``2 * Dim("h")``) exports, and so does ``Dim.AUTO``.
"""

from __future__ import annotations

import libcst as cst

from typing import Optional

from exportlint.analysis.kinds import Kind
from exportlint.fix import SAFE, UNSAFE, Autofix, Form
from exportlint.fixes.rewrite import Replace, Rewrite, operand
from exportlint.rule import FAILS, Behaviour, Rule, RuleMeta

_ROUNDING = {"round": "round()", "math.ceil": "math.ceil()", "math.floor": "math.floor()", "math.trunc": "math.trunc()"}


class RoundSymbolicSize(Rule):
    meta = RuleMeta(
        code="EXP101",
        name="round-symbolic-size",
        summary="round(), math.ceil/floor/trunc or int(a / b) applied to a size read from a tensor's shape",
        why=(
            "With a dynamic dimension the size is a symbol; export must prove every guard the rounded value "
            "creates (e.g. round(n / 2) <= n) for the whole range of the Dim, and it cannot for float rounding."
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
        fix=Autofix(
            forms=(
                Form("math.floor(a / b), math.trunc(a / b), int(a / b) -> a // b", SAFE,
                     "a is a size (a non-negative integer) and b a positive integer literal or another size"),
                Form("math.ceil(a / b) -> -(-a // b)", SAFE, "as above"),
                Form("round(a / k) -> (a + k // 2) // k, k an odd integer literal", SAFE,
                     "a / k is never halfway between two integers"),
                Form("round(a / k) -> (a + k // 2) // k, k an even integer literal", UNSAFE,
                     "round() takes halves to the even neighbour (round(5 / 2) == 2), the rewrite rounds them up (3)"),
            ),
            otherwise="only a division of a size by a positive integer (or a size) has an integer form",
        ),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if len(node.args) != 1 or node.args[0].star:
            return
        name = ctx.builtin(node.func)
        arg = node.args[0].value
        if name in _ROUNDING:
            label = _ROUNDING[name]
        elif name == "int" and isinstance(arg, cst.BinaryOperation) and isinstance(arg.operator, cst.Divide):
            label = "int(a / b)"
        else:
            return
        if ctx.kind(arg) is Kind.SIZE:
            code = cst.Module([]).code_for_node(arg)
            self.report(ctx, node, f"{label} of symbolic size `{code}`", behaviour, _integer_form(node, name, arg, ctx))


def _divisor(node: cst.BaseExpression, ctx) -> Optional[int]:
    """A positive integer literal's value; 0 for a size (positive, parity unknown); None otherwise."""
    if isinstance(node, cst.Integer):
        value = int(node.evaluated_value)
        return value if value > 0 else None
    return 0 if ctx.kind(node) is Kind.SIZE else None


def _integer_form(node: cst.Call, name: str, arg: cst.BaseExpression, ctx) -> Optional[Rewrite]:
    """The same value in integer arithmetic, which export can bound."""
    if not (isinstance(arg, cst.BinaryOperation) and isinstance(arg.operator, cst.Divide)):
        return None
    if ctx.kind(arg.left) is not Kind.SIZE:
        return None
    divisor = _divisor(arg.right, ctx)
    if divisor is None:
        return None
    a, b = operand(arg.left), operand(arg.right)
    if name in ("math.floor", "math.trunc", "int"):
        return Rewrite(SAFE, f"use {a} // {b}", (Replace(node, f"{a} // {b}", operator="binary"),))
    if name == "math.ceil":
        return Rewrite(SAFE, f"use -(-{a} // {b})", (Replace(node, f"-(-{a} // {b})", operator="unary"),))
    if name == "round" and divisor:
        safety = SAFE if divisor % 2 else UNSAFE
        return Rewrite(safety, "round in integer arithmetic",
                       (Replace(node, f"({a} + {divisor // 2}) // {b}", operator="binary"),))
    return None
