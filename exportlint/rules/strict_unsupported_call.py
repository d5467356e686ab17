"""EXP121: calls strict export (TorchDynamo) refuses and non-strict export traces.

Measured on torch 2.13, each fails strict export and exports, agreeing with
eager, in non-strict mode, so only strict targets are told:

- ``out.resize_(n, 4)`` / ``y.resize_as_(x)``: "Unsupported Tensor.resize_() call";
- activation checkpointing, ``checkpoint(self.block, x, use_reentrant=False)``
  (or ``True``): "_checkpoint_context_fn" on tag_activation_checkpoint, and
  ``checkpoint_sequential(...)``: "Attempted to call function marked as skipped".

Checkpointing under a ``self.training`` test (transformers'
``if self.gradient_checkpointing and self.training:``) is not reported: export
runs eval-mode models.
"""

from __future__ import annotations

from typing import Set

import libcst as cst

from exportlint.analysis.walk import visit
from exportlint.analysis.kinds import Kind
from exportlint.analysis.under_export import is_training_flag
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta

_CHECKPOINTS = frozenset({"torch.utils.checkpoint.checkpoint", "torch.utils.checkpoint.checkpoint_sequential"})
_RESIZES = frozenset({"resize_", "resize_as_"})


def _needs_training(test: cst.BaseExpression) -> bool:
    """`self.training` is one of the operands of an `and` chain (or the test itself)."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _needs_training(test.left) or _needs_training(test.right)
    return is_training_flag(test)


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.ids: Set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        self.ids.add(id(node))


class StrictUnsupportedCall(Rule):
    meta = RuleMeta(
        code="EXP121",
        name="strict-unsupported-call",
        summary="tensor.resize_()/resize_as_() or torch.utils.checkpoint (checkpoint, checkpoint_sequential) in code "
                "reachable from forward, for strict export",
        why="TorchDynamo does not trace in-place storage resizes, and its activation-checkpoint operator does not "
            "lower to an exportable graph.",
        instead="allocate tensors at their final shape (x.new_empty(n, 4)); checkpoint only when training "
                "(`if self.training: checkpoint(...) else: block(x)`); or export in non-strict mode",
        cases=("resize_in_forward", "checkpoint_in_forward"),
        fix=NoAutofix("resizing and checkpointing must be rewritten or moved out of the exported path by hand"),
    )

    def __init__(self) -> None:
        self._training_only: Set[int] = set()

    def visit_If(self, node: cst.If, ctx, behaviour: Behaviour) -> None:
        if _needs_training(node.test):
            calls = _Calls()
            visit(node.body, calls)
            self._training_only |= calls.ids

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _RESIZES and ctx.kind(func.value) is Kind.TENSOR:
            self.report(ctx, node, f"`{code(func)}()` resizes a tensor in place", behaviour)
        elif id(node) not in self._training_only and ctx.qualify(func) in _CHECKPOINTS:
            self.report(ctx, node, f"`{code(func)}()` checkpoints activations in traced code", behaviour)
