"""EXP131: ``view``/``reshape`` that splits a named Dim by a constant.

``x.reshape(x.shape[0], 2, -1)`` on an input of shape ``(b, t, d)`` with
``{1: Dim("t")}`` cuts t into 2 x (t / 2): export needs t even and cannot
prove it for the Dim's range ("Constraints violated"). Shapes that keep the
named dim (``view(b, t, 8, -1)``) or merge it into ``-1`` (``view(b, -1)``,
``reshape(-1, 2)``) export. Declare ``2 * Dim("h")`` or use ``Dim.AUTO``
(which adds a divisibility guard instead).
"""

from __future__ import annotations

from typing import List, Optional

import libcst as cst

from exportlint.analysis.export_sites import NAMED, STATIC
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.literals import int_literal

_METHODS = frozenset({"view", "reshape"})


def _shape_args(call: cst.Call) -> Optional[List[cst.BaseExpression]]:
    args = [a.value for a in call.args]
    if any(a.star or a.keyword is not None for a in call.args):
        return None
    if len(args) == 1 and isinstance(args[0], (cst.Tuple, cst.List)):
        return [e.value for e in args[0].elements]
    return args


class NamedDimReshape(Rule):
    meta = RuleMeta(
        code="EXP131",
        name="named-dim-reshape",
        summary="view()/reshape() with -1 that splits an input dim declared as a named Dim by a constant",
        why=(
            "Splitting a dim of size t into k x (t / k) needs t to be a multiple of k; a named Dim promises every "
            "size in its range, so export cannot prove the reshape valid."
        ),
        instead='declare the dim as a multiple (2 * Dim("h")), keep the dim whole, or use Dim.AUTO',
        cases=("named_dim_reshape",),
        fix=NoAutofix("the fix is at the export call: declare the dim as a multiple of the split, or Dim.AUTO"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _METHODS:
            return
        args = _shape_args(node)
        if not args or not any(int_literal(a) == -1 for a in args):
            return
        for position, arg in enumerate(args):
            if int_literal(arg) == -1:
                return  # the rest merges into -1: no split before it
            dim = ctx.flavours.input_dim(func.value, position, ctx.scope)
            if dim is None:
                return
            if dim.flavour == NAMED:
                k = int_literal(arg)
                inferred_after = any(int_literal(a) == -1 for a in args[position:])
                if k is not None and k > 1 and dim.spec.multiple % k and inferred_after:
                    what = (
                        f"`{code(node)}` splits dim {position} by {k}: {dim.describe()}; "
                        f"needs {dim.dim_name} to be a multiple of {k}"
                    )
                    self.report(ctx, node, what, behaviour)
                return
            passed = ctx.size_flavour(arg)
            if dim.flavour != STATIC or int_literal(arg) is not None or passed is None or passed.flavour != STATIC:
                return  # only static dims passed through as sizes are followed
