"""EXP213: Python's ``random``, ``numpy.random`` or the clock (``time.time``) in forward.

Strict export (TorchDynamo) refuses these calls ("Attempted to call function
marked as skipped"; NumPy's generator fails on a data-dependent value).
Non-strict export runs them once while tracing, so the exported program holds
that one draw or timestamp as a constant. Calls that only run in training
(under ``if self.training``) are not reported.
"""

from __future__ import annotations

from typing import Set

import libcst as cst

from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.sizes import code

_CLOCK = frozenset(
    "time.time time.time_ns time.perf_counter time.perf_counter_ns time.monotonic time.monotonic_ns "
    "time.process_time time.process_time_ns".split()
)


def _mentions_training(node: cst.CSTNode) -> bool:
    finder = _Training()
    node.visit(finder)
    return finder.found


class _Training(cst.CSTVisitor):
    found = False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if node.attr.value == "training" and isinstance(node.value, cst.Name) and node.value.value == "self":
            self.found = True
        return not self.found


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.ids: Set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        self.ids.add(id(node))


class PythonRandomOrClock(Rule):
    meta = RuleMeta(
        code="EXP213",
        name="python-random-or-clock",
        summary="a call of random.*, numpy.random.* or time.time()/perf_counter() in code reachable from forward",
        why=(
            "These values come from Python state outside the graph: export can neither trace them into the "
            "program nor draw them again when the program runs."
        ),
        instead=(
            "use torch's generators (torch.rand, torch.randn, torch.randint) or take the value as an input; time "
            "outside the model"
        ),
        cases=("python_random_in_forward",),
        specializes='runs the call once while tracing and bakes its value into the program as a constant',
        fix=NoAutofix(
            "torch's generators draw a different stream; whether the value should be drawn per call, passed "
            "in, or dropped is a design choice"
        ),
    )

    def __init__(self) -> None:
        self._training_only: Set[int] = set()

    def _skip_training_only(self, node: cst.CSTNode, test: cst.BaseExpression) -> None:
        if _mentions_training(test):
            calls = _Calls()
            node.visit(calls)
            self._training_only |= calls.ids

    def visit_If(self, node: cst.If, ctx, behaviour: Behaviour) -> None:
        self._skip_training_only(node, node.test)

    def visit_IfExp(self, node: cst.IfExp, ctx, behaviour: Behaviour) -> None:
        self._skip_training_only(node, node.test)

    def visit_BooleanOperation(self, node: cst.BooleanOperation, ctx, behaviour: Behaviour) -> None:
        if isinstance(node.operator, cst.And):
            self._skip_training_only(node.right, node.left)

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if id(node) in self._training_only:
            return
        qualified = ctx.qualify(node.func)
        if qualified is None:
            return
        if qualified.startswith(("random.", "numpy.random.")) or qualified in _CLOCK:
            self.report(ctx, node, f"`{code(node.func)}()` in traced code", behaviour)
