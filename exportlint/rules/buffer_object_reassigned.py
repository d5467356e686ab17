"""EXP139: rebinding, in traced code, a module attribute made with ``nn.Buffer(...)``.

CTRL moves its positional table along with the input:
``self.pos_encoding = self.pos_encoding.to(device=..., dtype=...)``, where
``self.pos_encoding = nn.Buffer(...)`` in ``__init__``. Setting an attribute
that holds a buffer goes through ``Module.__setattr__``, which re-registers
it and reads the ``nn.Buffer`` object's ``persistent`` flag; strict export's
tracer cannot follow that. Measured on torch 2.13 (case
buffer_object_reassigned, and transformers' CTRL, modeling_ctrl.py:319):
strict fails ("Unsupported python_type() call"), persistent or not;
non-strict exports the same program as eager. A buffer made with
``self.register_buffer(...)`` and rebound the same way exports in both modes
(measured), so only ``nn.Buffer`` attributes are reported here (EXP201 leaves
them to this rule). Keep the moved tensor in a local.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.models import self_attribute
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


def rebound_buffer_object(target: cst.BaseExpression, ctx) -> str:
    """The attribute name when ``target`` is ``self.attr`` and attr was made with nn.Buffer, else ''."""
    attr = self_attribute(target)
    owner = ctx.function.owner if ctx.function is not None else None
    return attr if attr is not None and owner is not None and ctx.model_map.is_buffer_object(owner, attr) else ""


class BufferObjectReassigned(Rule):
    meta = RuleMeta(
        code="EXP139",
        name="buffer-object-reassigned",
        summary="assignment in traced code to an attribute made with nn.Buffer(...) in __init__, for strict export",
        why=(
            "Rebinding an attribute that holds a buffer re-registers it through Module.__setattr__, which reads "
            "the nn.Buffer object's persistent flag; strict export's tracer cannot follow that call."
        ),
        instead="keep the moved or recomputed tensor in a local (table = self.table.to(x.dtype)) and use that",
        cases=("buffer_object_reassigned",),
        fix=NoAutofix("the uses of the attribute after the assignment must read the local instead"),
    )

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        for target in node.targets:
            attr = rebound_buffer_object(target.target, ctx)
            if attr:
                self.report(ctx, target.target, f"buffer `self.{attr}` (made with nn.Buffer) rebound in traced code",
                            behaviour)
