"""EXP103: a tensor used as a Python bool: ``if``, ``while``, ``a if t else b``, ``and``/``or``/``not``.

``if (mask == 0).any(): scores = scores.masked_fill(...)`` asks for the value
of a tensor while tracing. export has none to give: strict export stops with
"Data-dependent branching", non-strict with GuardOnDataDependentSymNode.
Compute both sides and select with ``torch.where``, or branch with
``torch.cond``; ``is None`` tests, shapes and Python flags are fine.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.analysis.under_export import and_operands
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.data_dependent import bool_operands, code, first_offending, is_loose_parameter, tests_of


def _dtype_guard(test: cst.BaseExpression, operand: cst.BaseExpression) -> str:
    """`x.dtype == torch.float16 and not torch.isfinite(x).all()` (BART's encoder layers):
    the tensor is tested only for that dtype, fixed when the model is exported. Measured
    on 2.13: float32 exports, float16 fails in both modes; the message says when."""
    guards = []
    for part in and_operands(test):
        if any(found is operand for found in bool_operands(part)):
            break
        if _compares_dtype(part):
            guards.append(code(part))
    return f", reached only when `{' and '.join(guards)}` (the dtype is fixed when you export)" if guards else ""


def _compares_dtype(part: cst.BaseExpression) -> bool:
    if not isinstance(part, cst.Comparison):
        return False
    sides = [part.left] + [c.comparator for c in part.comparisons]
    return any(isinstance(side, cst.Attribute) and side.attr.value == "dtype" for side in sides)


class TensorCondition(Rule):
    meta = RuleMeta(
        code="EXP103",
        name="tensor-condition",
        summary=(
            "a tensor computed in traced code used as a Python bool (if/while test, conditional expression, and/or/not)"
        ),
        why=(
            "Python control flow needs a concrete bool; during export a tensor has no value, only a shape, "
            "so the branch cannot be chosen."
        ),
        instead=(
            "compute both results and select with torch.where(cond, a, b), or use torch.cond(pred, true_fn, false_fn, "
            "operands)"
        ),
        cases=("tensor_condition",),
        graph_break="GB0170",
        fix=NoAutofix(
            "the branches must become a torch.where selection or torch.cond functions, written by hand"
        ),
    )

    def __init__(self) -> None:
        self._in_tests: set = set()  # and/or/not nodes already judged as part of a test

    def _judge_test(self, node: cst.CSTNode, ctx, behaviour: Behaviour) -> None:
        test, where = tests_of(node)
        self._mark(test)
        found = first_offending(test, ctx, Kind.TENSOR, attributes=False)
        if found is not None:
            operand = found[0]
            what = f"tensor `{code(operand)}` used as the test of {where}" + _dtype_guard(test, operand)
            self.report(ctx, operand, what, behaviour)

    def _mark(self, test: cst.BaseExpression) -> None:
        if isinstance(test, cst.BooleanOperation):
            self._in_tests.add(id(test))
            self._mark(test.left)
            self._mark(test.right)
        elif isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            self._in_tests.add(id(test))
            self._mark(test.expression)

    visit_If = visit_While = visit_IfExp = visit_CompIf = _judge_test

    def visit_Assert(self, node: cst.Assert, ctx, behaviour: Behaviour) -> None:
        self._mark(node.test)  # EXP109's: strict export turns an assert into a runtime check

    def visit_BooleanOperation(self, node: cst.BooleanOperation, ctx, behaviour: Behaviour) -> None:
        """Outside a test, `a and b` / `a or b` still calls bool() on `a`."""
        if id(node) in self._in_tests:
            return
        self._mark(node)
        for operand in bool_operands(node.left):
            if ctx.kind(operand) is Kind.TENSOR and not is_loose_parameter(operand, ctx):
                op = "and" if isinstance(node.operator, cst.And) else "or"
                self.report(ctx, operand, f"tensor `{code(operand)}` used as a bool by `{op}`", behaviour)
                return

    def visit_UnaryOperation(self, node: cst.UnaryOperation, ctx, behaviour: Behaviour) -> None:
        if not isinstance(node.operator, cst.Not) or id(node) in self._in_tests:
            return
        self._mark(node)
        for operand in bool_operands(node.expression):
            if ctx.kind(operand) is Kind.TENSOR and not is_loose_parameter(operand, ctx):
                self.report(ctx, operand, f"tensor `{code(operand)}` used as a bool by `not`", behaviour)
                return
