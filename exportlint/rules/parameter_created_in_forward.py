"""EXP122: ``nn.Parameter(...)`` created in code reachable from forward.

``scale = nn.Parameter(torch.ones(n))`` or a parameter made on the first call
(``if self.gain is None: self.gain = nn.Parameter(...)``). Strict export
(TorchDynamo) refuses it: "Attempted to use `torch.nn.Parameter()` with
export". Non-strict export treats the new tensor as a constant of the program
and, for these deterministic initialisers, agrees with eager (measured on
torch 2.13), so only strict targets are told.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.module_state import creates_parameter
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


class ParameterCreatedInForward(Rule):
    meta = RuleMeta(
        code="EXP122",
        name="parameter-created-in-forward",
        summary="`nn.Parameter(...)` called in code reachable from forward",
        why="Parameters belong to the module before export starts; the exported program cannot add new ones.",
        instead="create the parameter in __init__ (with its final shape), or use a plain tensor in forward",
        cases=("parameter_created_in_forward",),
        fix=NoAutofix("the parameter must be created in __init__: a design change"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if creates_parameter(node, ctx):
            self.report(ctx, node, f"`{code(node.func)}()` creates a parameter while forward is traced", behaviour)
