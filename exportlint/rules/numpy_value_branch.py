"""EXP140: a NumPy result tested for truth in traced code, for strict export.

Reformer pads its input to ``np.lcm(lsh_chunk, local_chunk)``, computed by a
helper on one of its config paths, and tests ``seq_len % lcm != 0`` in an
``and``. Strict export runs NumPy calls through torch (``torch._numpy``), so
the result is a 0-d tensor and testing it is data-dependent branching.
Measured on torch 2.13 (cases numpy_value_branch and numpy_value_if, and
transformers' Reformer, modeling_reformer.py:2023): strict fails ("Data-dependent
branching"), non-strict exports (NumPy runs on Python ints there);
``math.lcm`` exports in both. Scaling by a NumPy value (``x / np.sqrt(d)``)
exports in both modes (measured), so only truth tests are reported: an ``if``
test and an operand ``and``/``or`` tests before going on. Only ``np.lcm`` was
measured, directly or returned by an in-file helper on some path.
"""

from __future__ import annotations

from typing import Dict, Iterator, Optional, Set

import libcst as cst

from exportlint.analysis.data_dependent import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta

_MEASURED = frozenset({"numpy.lcm"})


def _numpy_call(node: Optional[cst.BaseExpression], ctx) -> bool:
    return isinstance(node, cst.Call) and ctx.qualify(node.func) in _MEASURED


def _returns_numpy(function: cst.FunctionDef, ctx) -> Optional[cst.Return]:
    """A ``return np.lcm(...)`` statement of the function's own body (not nested defs)."""
    stack = list(function.body.children)
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(node, cst.Return) and _numpy_call(node.value, ctx):
            return node
        stack.extend(node.children)
    return None


def _operand_names(node: cst.BaseExpression) -> Iterator[str]:
    """Names whose value the expression computes with directly (not inside calls,
    attributes or subscripts)."""
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, cst.BinaryOperation):
        yield from _operand_names(node.left)
        yield from _operand_names(node.right)
    elif isinstance(node, cst.UnaryOperation):
        yield from _operand_names(node.expression)
    elif isinstance(node, cst.Comparison):
        yield from _operand_names(node.left)
        for target in node.comparisons:
            yield from _operand_names(target.comparator)


class NumpyValueBranch(Rule):
    meta = RuleMeta(
        code="EXP140",
        name="numpy-value-branch",
        summary="the result of np.lcm (directly or from an in-file helper) tested for truth in traced code",
        why=(
            "strict export runs NumPy calls through torch, so the result is a tensor and testing it is "
            "data-dependent branching"
        ),
        instead="compute the value with Python's math (math.lcm) so it is an int while tracing",
        cases=("numpy_value_branch", "numpy_value_if"),
        fix=NoAutofix("the NumPy call may sit in a helper; replacing it with math.lcm is a one-word edit there"),
    )

    def __init__(self) -> None:
        self._function: Optional[cst.FunctionDef] = None
        self._values: Dict[str, str] = {}  # name -> where its NumPy value comes from
        self._reported: Set[int] = set()
        self._helper_returns: Dict[int, Optional[cst.Return]] = {}  # id(helper def) -> its `return np.lcm(...)`

    def _state(self, ctx) -> Optional[cst.FunctionDef]:
        function = ctx.function.node if ctx.function is not None else None
        if function is not self._function:
            self._function, self._values, self._reported = function, {}, set()
        return function

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        if self._state(ctx) is None:
            return
        source = self._numpy_source(node.value, ctx)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if source:
                    self._values[target.target.value] = source
                else:
                    self._values.pop(target.target.value, None)

    def _numpy_source(self, value: cst.BaseExpression, ctx) -> str:
        if _numpy_call(value, ctx):
            return f"`{code(value.func)}(...)`"
        if isinstance(value, cst.Call):
            callee = ctx.model_map.callee(value, ctx.function)
            if callee is None:
                return ""
            key = id(callee.node)  # every assignment from a helper call asks: scan each helper once
            if key not in self._helper_returns:
                self._helper_returns[key] = _returns_numpy(callee.node, ctx)
            returned = self._helper_returns[key]
            if returned is not None:
                return f"`{code(value.func)}(...)`, which returns `{code(returned.value)}` on some path"
        return ""

    def visit_If(self, node: cst.If, ctx, behaviour: Behaviour) -> None:
        if self._state(ctx) is not None:
            self._tested(node.test, ctx, behaviour)

    def visit_BooleanOperation(self, node: cst.BooleanOperation, ctx, behaviour: Behaviour) -> None:
        if self._state(ctx) is not None:  # `a and b` tests a for truth before it goes on
            self._tested(node.left, ctx, behaviour)

    def _tested(self, test: cst.BaseExpression, ctx, behaviour: Behaviour) -> None:
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            self._tested(test.expression, ctx, behaviour)
            return
        if isinstance(test, cst.BooleanOperation):  # its left is its own handler's; the right is tested here
            self._tested(test.right, ctx, behaviour)
            return
        if id(test) in self._reported:
            return
        for name in _operand_names(test):
            if name in self._values:
                self._reported.add(id(test))
                what = f"`{code(test)}` tests NumPy value `{name}` ({self._values[name]}) for truth"
                self.report(ctx, test, what, behaviour)
                return
