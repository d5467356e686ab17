"""EXP211: ``range()`` over a size read from a tensor's shape.

``for i in range(x.shape[1])`` or ``torch.tensor(list(range(seq_len)))`` makes
export run the Python loop once per element of the traced example: the
program holds that many unrolled steps. With ``Dim.AUTO`` it then accepts only
the traced length; with a named ``Dim`` export fails ("Constraints violated").
Vectorise over the dim (``torch.arange(n)``, ``cumsum``, batched ops), or use
``torch.scan``/``torch.while_loop`` for a real recurrence.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.export_sites import AUTO
from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.sizes import code


class LoopOverSymbolicSize(Rule):
    meta = RuleMeta(
        code="EXP211",
        name="loop-over-symbolic-size",
        summary="range() whose bounds come from a tensor's shape (a Python loop or list over a dynamic dim)",
        why=(
            "A Python loop runs at trace time: export records one copy of the body per iteration, so the "
            "number of iterations, and with it the dim it came from, is fixed to the example's value."
        ),
        instead=(
            "vectorise over the dim (torch.arange(n), cumsum, batched ops) or use torch.scan/torch.while_loop; if the "
            "dim is really fixed, declare it static"
        ),
        cases=("loop_over_dynamic_dim",),
        specializes='unrolls the loop for the traced size: with Dim.AUTO the program accepts only that size, '
                    'with a named Dim export fails ("Constraints violated")',
        fix=NoAutofix(
            "vectorising a loop (torch.arange, cumsum, torch.scan) depends on what its body computes"
        ),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if ctx.builtin(node.func) != "range" or not node.args:
            return
        for arg in node.args:
            if not arg.star and ctx.kind(arg.value) is Kind.SIZE:
                flavour = ctx.size_flavour(arg.value)
                if flavour is not None and flavour.flavour != AUTO:
                    return  # static: a constant; named or Dim.DYNAMIC: EXP133 says it fails
                self.report(ctx, node, f"`{code(node)}` over symbolic size `{code(arg.value)}`", behaviour)
                return
