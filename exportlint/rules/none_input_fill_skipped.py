"""EXP138: an optional input used as a tensor after a default fill that export skips.

Many transformers stacks fill a missing mask only outside compilation::

    if attention_mask is None and not is_torchdynamo_compiling():
        attention_mask = torch.ones(batch_size, seq_length)
    ...
    causal_mask = attention_mask[:, None, None, :]

Under export ``is_torchdynamo_compiling()`` (like ``torch.compiler.is_compiling()``)
is True, so the fill never runs: when the export call leaves the input out, the
parameter is still None where it is indexed. Measured on torch 2.13 (case
none_input_fill_skipped, and transformers' SwitchTransformers,
modeling_switch_transformers.py:761): non-strict fails with the TypeError of
indexing None, strict with "Observed exception"; given the input, both export.
Passing the None on to a function that tests it exports (measured), so only a
direct use is reported: an index, an attribute or an arithmetic operand, with no
test of the name and no rebinding of it before the use. The None is followed
into in-file helpers it is passed to (LongT5 hands its mask to
``_get_local_attention_mask`` and on to ``_split_into_blocks``, which reads
``x.shape``: modeling_longt5.py:111, where its export fails in all three
settings on torch 2.13, bench/real_models.json); the use is reported there.
"""

from __future__ import annotations

from typing import Dict, Iterator, Optional, Set, Tuple

import libcst as cst

from exportlint.analysis.data_dependent import code
from exportlint.analysis.parameters import keyword_names, parameter_names
from exportlint.analysis.under_export import and_operands, false_under_export
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.literals import is_none


def _is_none_test(test: cst.BaseExpression) -> Optional[str]:
    """The name in ``name is None``, else None."""
    if (
        isinstance(test, cst.Comparison) and isinstance(test.left, cst.Name) and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Is)
        and is_none(test.comparisons[0].comparator)
    ):
        return test.left.value
    return None


def _tested_names(test: cst.BaseExpression) -> Iterator[str]:
    """Names a test checks for None or for truth: ``m``, ``not m``, ``m is (not) None``, ``m == None``."""
    if isinstance(test, cst.BooleanOperation):
        yield from _tested_names(test.left)
        yield from _tested_names(test.right)
    elif isinstance(test, cst.Name):
        yield test.value
    elif isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        yield from _tested_names(test.expression)
    elif isinstance(test, cst.Comparison):
        operands = [test.left] + [c.comparator for c in test.comparisons]
        if any(is_none(o) for o in operands):
            yield from (o.value for o in operands if isinstance(o, cst.Name) and o.value != "None")


def _assigns(body: cst.BaseSuite, name: str) -> bool:
    for statement in body.body if isinstance(body, cst.IndentedBlock) else [body]:
        smalls = statement.body if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) else ()
        for small in smalls:
            if isinstance(small, cst.Assign) and any(
                isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets
            ):
                return True
    return False


def _none_default_parameters(function: cst.FunctionDef) -> Set[str]:
    params = function.params
    return {
        p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)
        if is_none(p.default)
    }


_HELPER_DEPTH = 3  # helpers of helpers followed


def _handed_on(call: cst.Call, caller, model_map, names) -> Iterator[Tuple[str, object, str]]:
    """(name, in-file callee, its parameter) for each of ``names`` passed as an argument of ``call``
    in ``caller`` (whose class resolves ``self.method(...)``)."""
    callee = model_map.callee(call, caller)
    if callee is None:
        return
    positional, keywords = parameter_names(callee), set(keyword_names(callee))
    for index, arg in enumerate(a for a in call.args if not a.star):
        if not isinstance(arg.value, cst.Name) or arg.value.value not in names:
            continue
        if arg.keyword is not None:
            parameter = arg.keyword.value if arg.keyword.value in keywords else None
        else:
            parameter = positional[index] if index < len(positional) else None
        if parameter is not None:
            yield arg.value.value, callee, parameter


def _uses(node: cst.CSTNode, name: str) -> bool:
    """An index, attribute or arithmetic operand of ``name``: what fails on None."""
    if isinstance(node, (cst.Subscript, cst.Attribute)):
        return isinstance(node.value, cst.Name) and node.value.value == name
    if isinstance(node, cst.BinaryOperation):
        return any(isinstance(o, cst.Name) and o.value == name for o in (node.left, node.right))
    return False


def _rebinds(node: cst.CSTNode, name: str) -> bool:
    if isinstance(node, cst.Assign):
        targets = [t.target for t in node.targets]
    elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.NamedExpr, cst.For)):
        targets = [node.target]
    else:
        return False
    return any(name in _bound_names(t) for t in targets)


def _bound_names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _bound_names(element.value)


def _test_of(node: cst.CSTNode) -> Optional[cst.BaseExpression]:
    if isinstance(node, (cst.If, cst.While, cst.IfExp, cst.Assert)):
        return node.test
    return node if isinstance(node, cst.BooleanOperation) else None


def _first_direct_use(callee, parameter: str, ctx, depth: int) -> Optional[Tuple[cst.CSTNode, str]]:
    """The first use of ``parameter`` in the helper, in source order, that fails on None: none after a
    test of it for None or a rebinding of it; followed into the helpers it is passed to."""
    stack = list(reversed(callee.node.body.children))
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        test = _test_of(node)
        if test is not None and parameter in _tested_names(test):
            return None
        if isinstance(node, cst.If) and false_under_export(node.test, ctx):
            stack.extend(reversed([node.orelse] if node.orelse is not None else []))
            continue
        if _rebinds(node, parameter):
            return None
        if _uses(node, parameter):
            return node, parameter
        if isinstance(node, cst.Call) and depth > 1:
            for _, inner, inner_parameter in _handed_on(node, callee, ctx.model_map, {parameter}):
                found = _first_direct_use(inner, inner_parameter, ctx, depth - 1)
                if found is not None:
                    return found
        stack.extend(reversed(node.children))
    return None


class NoneInputFillSkipped(Rule):
    meta = RuleMeta(
        code="EXP138",
        name="none-input-fill-skipped",
        summary=(
            "a parameter defaulting to None indexed or used as a tensor after its default is filled only "
            "under `not is_compiling()` (a branch export never takes)"
        ),
        why=(
            "is_compiling()/is_torchdynamo_compiling() is True while export traces, so the fill does not run: "
            "when the export call leaves the input out, the value is still None where it is used"
        ),
        instead=(
            "fill the default whatever the compiler state (`if mask is None: mask = torch.ones(...)`), "
            "or pass the input at the export call"
        ),
        cases=("none_input_fill_skipped",),
        fails_when="when the export call leaves the input out",
        fix=NoAutofix("whether the fill may run under export is the author's decision"),
    )

    def __init__(self) -> None:
        self._function: Optional[cst.FunctionDef] = None
        self._skipped: Dict[str, str] = {}  # parameter -> the skipped fill's test, as source
        self._settled: Set[str] = set()  # rebound or tested for None before here
        self._fill_tests: Set[int] = set()  # ids of the skipped fills' `name is None` tests
        self._reported: Set[int] = set()  # uses in helpers, reported once

    def _state(self, ctx) -> Optional[cst.FunctionDef]:
        function = ctx.function.node if ctx.function is not None else None
        if function is not self._function:
            self._function, self._skipped, self._settled, self._fill_tests = function, {}, set(), set()
        return function

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        """A possibly-None value handed to an in-file helper that uses it unguarded: reported in the helper."""
        if self._state(ctx) is None or not self._skipped:
            return
        unsettled = self._skipped.keys() - self._settled
        for name, callee, parameter in _handed_on(node, ctx.function, ctx.model_map, unsettled):
            found = _first_direct_use(callee, parameter, ctx, _HELPER_DEPTH)
            if found is not None and id(found[0]) not in self._reported:
                self._reported.add(id(found[0]))
                use, used = found
                fill = self._skipped[name]
                what = (f"`{used}` is None here when the caller's `{name}` is left out: its fill (`if {fill}:`) "
                        "never runs under export")
                self.report(ctx, use, what, behaviour)

    def visit_If(self, node: cst.If, ctx, behaviour: Behaviour) -> None:
        function = self._state(ctx)
        if function is None:
            return
        if false_under_export(node.test, ctx):
            optional = _none_default_parameters(function)
            for operand in and_operands(node.test):
                name = _is_none_test(operand)
                if name in optional and name not in self._settled and _assigns(node.body, name):
                    self._skipped[name] = code(node.test)
                    self._fill_tests.add(id(operand))
            return
        self._settled.update(_tested_names(node.test))

    def visit_While(self, node: cst.While, ctx, behaviour: Behaviour) -> None:
        self._state(ctx)
        self._settled.update(_tested_names(node.test))

    def visit_IfExp(self, node: cst.IfExp, ctx, behaviour: Behaviour) -> None:
        self._state(ctx)
        self._settled.update(_tested_names(node.test))

    def visit_BooleanOperation(self, node: cst.BooleanOperation, ctx, behaviour: Behaviour) -> None:
        self._state(ctx)
        if not any(id(o) in self._fill_tests for o in and_operands(node)):
            self._settled.update(_tested_names(node))

    def visit_Assert(self, node: cst.Assert, ctx, behaviour: Behaviour) -> None:
        self._state(ctx)
        self._settled.update(_tested_names(node.test))

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        self._state(ctx)
        for target in node.targets:
            self._settled.update(_bound_names(target.target))

    def visit_AugAssign(self, node: cst.AugAssign, ctx, behaviour: Behaviour) -> None:
        self._state(ctx)
        self._settled.update(_bound_names(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign, ctx, behaviour: Behaviour) -> None:
        self._state(ctx)
        self._settled.update(_bound_names(node.target))

    def visit_NamedExpr(self, node: cst.NamedExpr, ctx, behaviour: Behaviour) -> None:
        self._state(ctx)
        self._settled.update(_bound_names(node.target))

    def visit_For(self, node: cst.For, ctx, behaviour: Behaviour) -> None:
        self._state(ctx)
        self._settled.update(_bound_names(node.target))

    def visit_Subscript(self, node: cst.Subscript, ctx, behaviour: Behaviour) -> None:
        self._use(node.value, node, ctx, behaviour)

    def visit_Attribute(self, node: cst.Attribute, ctx, behaviour: Behaviour) -> None:
        self._use(node.value, node, ctx, behaviour)

    def visit_BinaryOperation(self, node: cst.BinaryOperation, ctx, behaviour: Behaviour) -> None:
        self._use(node.left, node, ctx, behaviour)
        self._use(node.right, node, ctx, behaviour)

    def _use(self, operand: cst.BaseExpression, node: cst.CSTNode, ctx, behaviour: Behaviour) -> None:
        if self._state(ctx) is None or not isinstance(operand, cst.Name):
            return
        name = operand.value
        fill = self._skipped.get(name)
        if fill is None or name in self._settled:
            return
        self._settled.add(name)  # one finding per parameter and function
        what = f"`{name}` is None here when the input is left out: its fill (`if {fill}:`) never runs under export"
        self.report(ctx, node, what, behaviour)
