"""EXP112: moving or casting a submodule (``self.sub.to(dtype)``) in forward.

``self.router = self.router.to(torch.float64)`` (switch_transformers) runs
``nn.Module._apply`` while export traces: non-strict export cannot swap the
real parameters for converted ones and fails with "_apply(): Couldn't swap
Linear.weight" (even when the dtype does not change); strict export fails as
soon as the call changes a parameter ("Attempted to use torch.nn.Parameter()
with export"). Convert the module once, before export, or cast the tensors.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.sizes import code

# nn.Module methods that go through Module._apply and replace parameters.
_MOVES = frozenset("to float double half bfloat16 cpu cuda type".split())


def module_move(value: cst.BaseExpression, ctx) -> Optional[str]:
    """'to', 'float', ... when value is `<module>.to(...)`-like in traced code."""
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute):
        return None
    method = value.func.attr.value
    if method not in _MOVES:
        return None
    receiver = value.func.value
    if ctx.kind(receiver) is Kind.MODULE:
        return method
    owner = ctx.function.owner if ctx.function is not None else None
    if isinstance(receiver, cst.Name) and receiver.value == "self" and owner is not None and owner.is_module:
        return method
    return None


class ModuleToInForward(Rule):
    meta = RuleMeta(
        code="EXP112",
        name="module-to-in-forward",
        summary="Module.to()/.float()/.half()/.cuda()... called on self or a submodule in code reachable from forward",
        why=(
            "Moving or casting a module replaces its parameters, a mutation of the module that export "
            "cannot trace: the program must read fixed parameters."
        ),
        instead=(
            "cast or move the model once before export (model.to(dtype)), or cast the tensors in forward "
            "(F.linear(x.double(), self.lin.weight.double(), ...))"
        ),
        cases=("module_to_in_forward",),
        fails_when="when the call changes a parameter's dtype or device",
        fix=NoAutofix(
            "the cast must move out of forward, to where the model is built before export"
        ),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        method = module_move(node, ctx)
        if method is not None:
            self.report(ctx, node, f"`{code(node.func)}()` moves or casts a module while it is traced", behaviour)
