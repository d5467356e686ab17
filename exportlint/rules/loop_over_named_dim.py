"""EXP133: ``range()`` over a dim declared as a named Dim or ``Dim.DYNAMIC``.

``for i in range(x.shape[1])`` unrolls the loop for the example's length,
which fixes the dim: with a named Dim or Dim.DYNAMIC export fails ("You marked
t as dynamic but your code specialized it to be a constant"). With Dim.AUTO it
exports, specialised (EXP211). Vectorise over the dim, or declare it static.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.export_sites import DYNAMIC, NAMED
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


class LoopOverNamedDim(Rule):
    meta = RuleMeta(
        code="EXP133",
        name="loop-over-named-dim",
        summary="range() over a dim declared as a named Dim or Dim.DYNAMIC",
        why="A Python loop is unrolled at trace time, which fixes the dim to the example's size.",
        instead=(
            "vectorise over the dim (torch.arange(n), cumsum, batched ops) or use torch.scan/torch.while_loop; "
            "if the dim is really fixed, declare it static"
        ),
        cases=("loop_over_named_dim",),
        fix=NoAutofix("the loop must be vectorised, or the dim declared Dim.AUTO: the author's choice"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if ctx.builtin(node.func) != "range":
            return
        for arg in node.args:
            flavour = None if arg.star else ctx.size_flavour(arg.value)
            if flavour is not None and flavour.flavour in (NAMED, DYNAMIC):
                self.report(ctx, node, f"`{code(node)}` loops over a dim: {flavour.describe()}", behaviour)
                return
