"""EXP104: a Python value read out of a tensor (``.item()``, ``.tolist()``, ``int(t)``) used as a test.

``is_global = mask.flatten().any().item(); if is_global: ...`` (longformer)
branches on data: export traces ``.item()`` as an unbacked symbol and cannot
decide the test for every value. ``torch._check`` calls that decide the test
(``torch._check(n > 0)`` before ``if n > 0``) make it exportable; checks that
do not decide it do not help. Branch with ``torch.cond`` on the tensor, or
compute both sides and select with ``torch.where``.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.data_dependent import (
    CheckedValues, bool_operands, code, is_loose_parameter, module_tensor_attributes, tests_of,
)


class DataDependentCondition(Rule):
    meta = RuleMeta(
        code="EXP104",
        name="data-dependent-condition",
        summary=(
            "an if/while test or conditional expression on a value read from tensor data (.item(), .tolist(), int(t), "
            "float(t), bool(t))"
        ),
        why=(
            "export traces .item() and friends as unbacked symbols: their value is unknown, and a Python branch "
            "on one can be taken only if torch._check calls already decide it."
        ),
        instead=(
            "keep the value a tensor and branch with torch.cond(pred, true_fn, false_fn, operands) or select with "
            "torch.where; a torch._check that decides the test also works"
        ),
        cases=("item_condition",),
        fix=NoAutofix(
            "the branches must become torch.cond functions or a torch.where selection, written by hand"
        ),
    )

    def __init__(self) -> None:
        self._checks = CheckedValues()

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        self._checks.note(node, ctx)

    def _judge_test(self, node: cst.CSTNode, ctx, behaviour: Behaviour) -> None:
        test, where = tests_of(node)
        for operand in bool_operands(test):
            if ctx.kind(operand) is not Kind.DATA or is_loose_parameter(operand, ctx):
                continue
            attrs, other = module_tensor_attributes(operand, ctx)
            if attrs and not other:
                continue  # EXP105's
            if self._checks.decides(operand, ctx.scope):
                continue
            self.report(
                ctx, operand, f"value read from tensor data `{code(operand)}` used as the test of {where}", behaviour
            )
            return

    visit_If = visit_While = visit_IfExp = visit_CompIf = _judge_test
