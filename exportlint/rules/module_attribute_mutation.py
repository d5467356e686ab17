"""EXP201: assigning a module attribute inside traced code.

``self.cache = ...`` in ``forward`` is a side effect on the module object.
Export cannot put it in the graph: older releases refuse it, newer ones warn,
drop the assignment from the program and restore the eager module. Keep state
in registered buffers updated in place, or return it.
"""

from __future__ import annotations

import libcst as cst

from exportlint.fix import NoAutofix
from exportlint.analysis.models import self_attribute
from exportlint.analysis.module_state import created_module, creates_parameter
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.rules.buffer_object_reassigned import rebound_buffer_object
from exportlint.rules.module_created_in_forward import ModuleCreatedInForward
from exportlint.rules.module_to_in_forward import ModuleToInForward, module_move
from exportlint.rules.parameter_created_in_forward import ParameterCreatedInForward


class ModuleAttributeMutation(Rule):
    meta = RuleMeta(
        code="EXP201",
        name="module-attribute-mutation",
        summary="assignment to an attribute of self (the module) in code reachable from forward",
        why=(
            "The exported program is a pure function of its inputs, parameters and buffers; rebinding a module "
            "attribute is a Python side effect that the graph cannot hold."
        ),
        instead=(
            "keep the value in a local or return it; for state, register a buffer in __init__ and update it in place "
            "(self.buf.copy_(...))"
        ),
        cases=("model_attr_mutation",),
        specializes='warns, leaves the assignment out of the program and restores the module',
        fix=NoAutofix(
            "the state must move into a buffer updated in place, or be returned: a design change"
        ),
    )

    def _check(self, target: cst.BaseExpression, ctx, behaviour: Behaviour) -> None:
        attr = self_attribute(target)
        if attr is not None and not rebound_buffer_object(target, ctx):  # an nn.Buffer: EXP139's (measured)
            self.report(ctx, target, f"assignment to module attribute `self.{attr}` in traced code", behaviour)

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        if module_move(node.value, ctx) is not None and ModuleToInForward.meta.behaviour_for(ctx.target) is not None:
            return  # self.sub = self.sub.to(...): EXP112 reports the failing call
        if self._reported_as_new_state(node.value, ctx):
            return  # self.head = nn.Linear(...): EXP123 (or EXP122) reports what goes wrong
        for target in node.targets:
            self._check(target.target, ctx, behaviour)

    @staticmethod
    def _reported_as_new_state(value: cst.BaseExpression, ctx) -> bool:
        if not isinstance(value, cst.Call):
            return False
        if created_module(value, ctx) is not None:
            return ModuleCreatedInForward.meta.behaviour_for(ctx.target) is not None
        if creates_parameter(value, ctx):
            return ParameterCreatedInForward.meta.behaviour_for(ctx.target) is not None
        return False

    def visit_AugAssign(self, node: cst.AugAssign, ctx, behaviour: Behaviour) -> None:
        self._check(node.target, ctx, behaviour)

    def visit_AnnAssign(self, node: cst.AnnAssign, ctx, behaviour: Behaviour) -> None:
        if node.value is not None:
            self._check(node.target, ctx, behaviour)
