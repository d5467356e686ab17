"""EXP125: seeding torch's random generator in code reachable from forward.

``torch.manual_seed(1234)`` before drawing noise, or
``torch.Generator().manual_seed(1234)`` passed to ``torch.randn``: strict export
refuses both ("Attempted to call function marked as skipped"; "An opaque
object was created in the middle of the program"). Non-strict export runs the
seeding once, while tracing; the program's random ops are not reseeded, so
its draws differ from eager's (measured on torch 2.13).
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


def _seeds(call: cst.Call, ctx) -> bool:
    if ctx.qualify(call.func) == "torch.manual_seed":
        return True
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "manual_seed"
        and isinstance(func.value, cst.Call)
        and ctx.qualify(func.value.func) == "torch.Generator"
    )


class ManualSeedInForward(Rule):
    meta = RuleMeta(
        code="EXP125",
        name="manual-seed-in-forward",
        summary="`torch.manual_seed(...)` or `torch.Generator().manual_seed(...)` in code reachable from forward",
        why="Seeding changes generator state outside the graph: the exported program cannot reseed itself.",
        instead=(
            "seed once outside the model, or pass the noise (or a seed tensor) in as an input; "
            "for fixed noise, register it as a buffer in __init__"
        ),
        cases=("manual_seed_in_forward",),
        specializes="seeds once while tracing; the program's random draws are not reseeded and differ from eager",
        fix=NoAutofix("seeding belongs outside forward; where depends on how the model is used"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if _seeds(node, ctx):
            self.report(ctx, node, f"`{code(node.func)}()` seeds a generator in traced code", behaviour)
