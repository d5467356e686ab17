"""EXP127: activation checkpointing (``torch.utils.checkpoint``) in code reachable from forward.

``checkpoint(self.block, x, use_reentrant=False)`` (or ``True``) and
``checkpoint_sequential(...)`` trade memory for recomputation in training.
Strict export fails on them ("_checkpoint_context_fn ... tag_activation_checkpoint";
checkpoint_sequential: "Attempted to call function marked as skipped");
non-strict export traces straight through and agrees with eager (measured on
torch 2.13). Checkpointing under a ``self.training`` test (transformers'
``if self.gradient_checkpointing and self.training:``) is not reported: export
runs eval-mode models.
"""

from __future__ import annotations

from typing import Set

import libcst as cst

from exportlint.analysis.kinds import is_training_flag
from exportlint.analysis.sizes import code
from exportlint.rule import FAILS, STRICT, Behaviour, Rule, RuleMeta

_CHECKPOINTS = frozenset({"torch.utils.checkpoint.checkpoint", "torch.utils.checkpoint.checkpoint_sequential"})


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


class CheckpointInForward(Rule):
    meta = RuleMeta(
        code="EXP127",
        name="checkpoint-in-forward",
        summary="torch.utils.checkpoint.checkpoint / checkpoint_sequential called in code reachable from forward",
        why="Activation checkpointing is a training-time memory trade; TorchDynamo's checkpoint operator does not "
            "lower to an exportable graph.",
        instead="call the block directly when not training (`if self.training: checkpoint(...) else: block(x)`), "
                "or export in non-strict mode",
        cases=("checkpoint_in_forward",),
        behaviours=(
            Behaviour(FAILS, 'fails ("_checkpoint_context_fn" on tag_activation_checkpoint; checkpoint_sequential: '
                      '"Attempted to call function marked as skipped")', versions=">=2.13", modes=(STRICT,)),
        ),
    )

    def __init__(self) -> None:
        self._training_only: Set[int] = set()

    def visit_If(self, node: cst.If, ctx, behaviour: Behaviour) -> None:
        if _needs_training(node.test):
            calls = _Calls()
            node.body.visit(calls)
            self._training_only |= calls.ids

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if id(node) not in self._training_only and ctx.qualify(node.func) in _CHECKPOINTS:
            self.report(ctx, node, f"`{code(node.func)}()` checkpoints activations in traced code", behaviour)
