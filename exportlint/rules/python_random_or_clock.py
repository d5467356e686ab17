"""EXP213: Python's ``random``, ``numpy.random`` or the clock (``time.time``) in forward.

Strict export (TorchDynamo) refuses these calls ("Attempted to call function
marked as skipped"; NumPy's generator fails on a data-dependent value).
Non-strict export runs them once while tracing, so the exported program holds
that one draw or timestamp as a constant. Calls that only run in training
(under ``if self.training``) are not reported, nor, in non-strict export, a
NumPy draw assigned to a name read only where eval mode short-circuits it:
wav2vec2's layerdrop, ``p = np.random.random()`` then ``if not self.training
or p > self.layerdrop:`` (transformers 5.24.0 modeling_wav2vec2.py:849). Recall
model f7_layerdrop_draw_in_eval measured it on torch 2.13 in eval mode:
non-strict exports the eager program; strict still fails on the comparison.
"""

from __future__ import annotations

from typing import Set

import libcst as cst

from exportlint.analysis.walk import visit
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.under_export import is_training_flag
from exportlint.analysis.sizes import code

_CLOCK = frozenset(
    "time.time time.time_ns time.perf_counter time.perf_counter_ns time.monotonic time.monotonic_ns "
    "time.process_time time.process_time_ns".split()
)


def _mentions_training(node: cst.CSTNode) -> bool:
    finder = _Training()
    visit(node, finder)
    return finder.found


class _Training(cst.CSTVisitor):
    found = False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if node.attr.value == "training" and isinstance(node.value, cst.Name) and node.value.value == "self":
            self.found = True
        return not self.found


def _reads(name: str, node: cst.CSTNode, in_eval: bool) -> bool:
    """Whether ``name`` is read in ``node``; with ``in_eval``, only outside what eval
    mode short-circuits (the right of ``not self.training or ...`` or ``self.training and ...``)."""
    if isinstance(node, cst.BooleanOperation):
        left, right = node.left, node.right
        skips_right = in_eval and (
            (isinstance(node.operator, cst.Or) and isinstance(left, cst.UnaryOperation)
             and isinstance(left.operator, cst.Not) and is_training_flag(left.expression))
            or (isinstance(node.operator, cst.And) and is_training_flag(left))
        )
        return _reads(name, left, in_eval) or (not skips_right and _reads(name, right, in_eval))
    if isinstance(node, cst.Name):
        return node.value == name
    if isinstance(node, cst.Attribute):
        return _reads(name, node.value, in_eval)
    if isinstance(node, cst.Assign):
        return _reads(name, node.value, in_eval)
    return any(_reads(name, child, in_eval) for child in node.children)


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
            visit(node, calls)
            self._training_only |= calls.ids

    def visit_If(self, node: cst.If, ctx, behaviour: Behaviour) -> None:
        self._skip_training_only(node, node.test)

    def visit_IfExp(self, node: cst.IfExp, ctx, behaviour: Behaviour) -> None:
        self._skip_training_only(node, node.test)

    def visit_BooleanOperation(self, node: cst.BooleanOperation, ctx, behaviour: Behaviour) -> None:
        if isinstance(node.operator, cst.And):
            self._skip_training_only(node.right, node.left)

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        # `p = np.random.random()` read only in `not self.training or p > ...`: non-strict eval never
        # uses the draw; strict still fails (measured for numpy.random: recall model f7_layerdrop_draw_in_eval)
        value = node.value
        if ctx.target.strict or ctx.function is None or not isinstance(value, cst.Call) or len(node.targets) != 1:
            return
        target = node.targets[0].target
        qualified = ctx.qualify(value.func) or ""
        if not (isinstance(target, cst.Name) and qualified.startswith("numpy.random.")):
            return
        body = ctx.function.node.body
        if _reads(target.value, body, in_eval=False) and not _reads(target.value, body, in_eval=True):
            self._training_only.add(id(value))

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if id(node) in self._training_only:
            return
        qualified = ctx.qualify(node.func)
        if qualified is None:
            return
        if qualified.startswith(("random.", "numpy.random.")) or qualified in _CLOCK:
            self.report(ctx, node, f"`{code(node.func)}()` in traced code", behaviour)
