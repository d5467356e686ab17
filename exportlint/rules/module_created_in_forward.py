"""EXP123: a layer with parameters (``nn.Linear(...)``) built in code reachable from forward.

``proj = nn.Linear(8, 3); return proj(x)``, ``nn.LayerNorm(x.shape[-1])(x)``,
a head built on the first call, or an in-file block class made per call: the
constructor creates nn.Parameters while export traces. Strict export refuses
it ("Attempted to use `torch.nn.Parameter()` with export"); non-strict export
bakes the freshly initialised weights into the program as constants, so the
program differs from eager, which draws new ones every call (measured on
torch 2.13; every layer listed in analysis/module_state.py fails strict
export). Parameter-free modules (``nn.Softmax(dim=-1)(x)``) are fine, and so,
in non-strict export, are norms whose initial weights are constants.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.module_state import CONSTANT_INIT_LAYERS, created_module
from exportlint.fix import NoAutofix
from exportlint.rule import NON_STRICT, Behaviour, Rule, RuleMeta


class ModuleCreatedInForward(Rule):
    meta = RuleMeta(
        code="EXP123",
        name="module-created-in-forward",
        summary="a module with parameters (torch.nn layer or in-file module class) constructed in code reachable "
                "from forward",
        why="The module's parameters would be created while export traces: they are not parameters of the model.",
        instead="build the module once in __init__ (self.proj = nn.Linear(...)) and call it in forward",
        cases=("module_created_in_forward",),
        specializes="bakes the new module's initial weights into the program as constants",
        fix=NoAutofix("the module must be created in __init__ and its weights kept: a design change"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        name = created_module(node, ctx)
        if name in CONSTANT_INIT_LAYERS and ctx.target.mode == NON_STRICT:
            return  # the baked-in ones and zeros are what eager draws too
        if name is not None:
            self.report(ctx, node, f"`{name}(...)` builds a module with parameters while forward is traced",
                        behaviour)
