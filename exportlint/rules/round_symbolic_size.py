"""EXP101: rounding a symbolic size with float arithmetic.

``x[: round(x.shape[0] / 2)]`` makes export reason about ``round(n / 2)``; with
a named ``Dim`` it cannot prove the slice bound stays within ``n`` and fails
with "Constraints violated". Integer arithmetic on a dim declared as a multiple
(``n // 2`` with ``2 * Dim("h")``) exports, and so does ``Dim.AUTO``.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.export_sites import NAMED
from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
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
        fix=NoAutofix(
            "the fix is at the export site: declare the dim as a multiple (2 * Dim(\"h\")) or use Dim.AUTO; "
            "rewriting the source alone does not help (measured on 2.13: n // 2 and (n + 1) // 2 fail with a named "
            "Dim just as round(n / 2) does)"
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
            flavour = ctx.size_flavour(arg)
            if flavour is None:
                self.report(ctx, node, f"{label} of symbolic size `{code}`", behaviour)
            elif flavour.flavour == NAMED:  # static: a constant; Dim.AUTO/DYNAMIC: exports (measured)
                self.report(ctx, node, f"{label} of `{code}`: {flavour.describe()}", behaviour)
