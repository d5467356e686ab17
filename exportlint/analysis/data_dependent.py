"""Helpers shared by the rules about data-dependent values (no rule lives here).

A Python ``if``, ``while``, conditional expression or comprehension ``if``
calls ``bool()`` on its test, and ``and``/``or``/``not`` call it on their
operands. On a tensor, or on a value read out of one (``.item()``), export has
no bool to give: the value depends on the data.
"""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Tuple

import libcst as cst

from exportlint.analysis.kinds import Kind, Scope
from exportlint.analysis.sizes import code  # noqa: F401  (rules import it from here too)
from exportlint.analysis.literals import int_literal, is_none

DATA_DEPENDENT = (Kind.TENSOR, Kind.DATA)
CHECKS = ("torch._check", "torch._check_is_size")


def tests_of(node: cst.CSTNode) -> Optional[Tuple[cst.BaseExpression, str]]:
    """(test, what) for the nodes whose test Python turns into a bool."""
    if isinstance(node, cst.If):
        return node.test, "an `if`"
    if isinstance(node, cst.While):
        return node.test, "a `while`"
    if isinstance(node, cst.IfExp):
        return node.test, "a conditional expression"
    if isinstance(node, cst.CompIf):
        return node.test, "a comprehension `if`"
    return None


def bool_operands(test: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The operands of a test that bool() is called on, looking through and/or/not."""
    if isinstance(test, cst.BooleanOperation):
        yield from bool_operands(test.left)
        yield from bool_operands(test.right)
    elif isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        yield from bool_operands(test.expression)
    elif isinstance(test, cst.Comparison) and all(
        isinstance(c.operator, (cst.Is, cst.IsNot)) for c in test.comparisons
    ):
        return  # `mask is not None` never looks at the values
    else:
        yield test


def _bare(node: cst.BaseExpression) -> cst.BaseExpression:
    while isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        node = node.expression
    return node


def is_loose_parameter(node: cst.BaseExpression, ctx) -> bool:
    """A bare parameter whose kind is a guess, not evidence of a tensor.

    forward's unannotated parameters are taken for tensors, but used bare as a
    test they are most often Python flags (``output_attentions=None``,
    ``def forward(self, x, interpolate_pos_encoding)``); a helper's parameters
    take the kind of a call site's argument. ``if flag:`` on them stays silent,
    unless a caller was seen passing a value read out of a tensor (its origin is
    known): then the kind is evidence, not a guess.
    """
    node = _bare(node)
    if not isinstance(node, cst.Name) or ctx.function is None:
        return False
    if ctx.scope.lookup_origin(node.value) is not None:
        return False
    params = ctx.function.node.params
    for param in list(params.posonly_params) + list(params.params) + list(params.kwonly_params):
        if param.name.value != node.value:
            continue
        if param.annotation is not None and "Tensor" in code(param.annotation.annotation):
            return False
        if not ctx.function.is_forward:
            return True
        default = param.default
        return default is None or is_none(default)
    return False


def module_tensor_attributes(expr: cst.BaseExpression, ctx) -> Tuple[List[str], bool]:
    """(self.<attr> tensors in expr, whether anything else in it is data-dependent)."""
    attrs: List[str] = []
    other = _tensor_attributes(expr, ctx, attrs)
    return attrs, other


def _tensor_attributes(node: cst.CSTNode, ctx, attrs: List[str]) -> bool:
    """Appends the self.<attr> tensors under ``node`` to ``attrs``; whether anything else there is
    data-dependent. (A function of its own, not a closure calling itself: such a closure is a
    reference cycle, and through ``ctx`` it kept each file's whole tree for the collector.)"""
    if isinstance(node, cst.Attribute):
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            if ctx.kind(node) is Kind.TENSOR:
                attrs.append(node.attr.value)
            return False
        return _tensor_attributes(node.value, ctx, attrs)
    if isinstance(node, cst.Name):
        return ctx.kind(node) in DATA_DEPENDENT
    if isinstance(node, cst.Arg):
        return _tensor_attributes(node.value, ctx, attrs)
    if isinstance(node, (cst.Lambda, cst.FunctionDef)):
        return False
    other = False
    for child in node.children:
        other = _tensor_attributes(child, ctx, attrs) or other  # every child: attrs are gathered from all
    return other


def first_offending(test: cst.BaseExpression, ctx, wanted: Kind, attributes: bool):
    """The first operand of ``test`` bool() is called on that is of kind ``wanted``
    (TENSOR or DATA), and read from module attributes only (``attributes``) or not."""
    for operand in bool_operands(test):
        if ctx.kind(operand) is not wanted or is_loose_parameter(operand, ctx):
            continue
        attrs, other = module_tensor_attributes(operand, ctx)
        if bool(attrs) and not other:
            if attributes:
                return operand, attrs
        elif not attributes:
            return operand, attrs
    return None


# torch._check facts ---------------------------------------------------------
_FLIP = {
    cst.LessThan: cst.GreaterThan, cst.GreaterThan: cst.LessThan,
    cst.LessThanEqual: cst.GreaterThanEqual, cst.GreaterThanEqual: cst.LessThanEqual,
    cst.Equal: cst.Equal, cst.NotEqual: cst.NotEqual,
}
_INF = float("inf")


def _pairs(comparison: cst.Comparison) -> Iterator[Tuple[cst.BaseExpression, type, cst.BaseExpression]]:
    left = comparison.left
    for target in comparison.comparisons:
        yield left, type(target.operator), target.comparator
        left = target.comparator


def _name_bound(left, op, right) -> Optional[Tuple[str, type, int]]:
    """`n < 4` or `4 > n` as (n, <, 4)."""
    if isinstance(left, cst.Name) and int_literal(right) is not None:
        return left.value, op, int_literal(right)
    if isinstance(right, cst.Name) and int_literal(left) is not None and op in _FLIP:
        return right.value, _FLIP[op], int_literal(left)
    return None


class CheckedValues:
    """What torch._check / torch._check_is_size calls seen so far say about
    data-dependent values, per scope: ranges of names, and checked tests."""

    def __init__(self) -> None:
        self._ranges: Dict[Scope, Dict[str, Tuple[float, float]]] = {}
        self._texts: Dict[Scope, set] = {}

    def note(self, call: cst.Call, ctx) -> None:
        qualified = ctx.qualify(call.func)
        if qualified not in CHECKS or not call.args or call.args[0].keyword is not None:
            return
        arg = call.args[0].value
        if qualified == "torch._check_is_size":
            if isinstance(arg, cst.Name):
                self._narrow(ctx.scope, arg.value, cst.GreaterThanEqual, 0)
            return
        self._note_test(arg, ctx.scope)

    def _note_test(self, test: cst.BaseExpression, scope: Scope) -> None:
        self._texts.setdefault(scope, set()).add(code(test))
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
            self._note_test(test.left, scope)
            self._note_test(test.right, scope)
        elif isinstance(test, cst.Comparison):
            for pair in _pairs(test):
                bound = _name_bound(*pair)
                if bound is not None:
                    self._narrow(scope, *bound)

    def _narrow(self, scope: Scope, name: str, op: type, value: int) -> None:
        ranges = self._ranges.setdefault(scope, {})
        lo, hi = ranges.get(name, (-_INF, _INF))
        if op is cst.GreaterThan:
            lo = max(lo, value + 1)
        elif op is cst.GreaterThanEqual:
            lo = max(lo, value)
        elif op is cst.LessThan:
            hi = min(hi, value - 1)
        elif op is cst.LessThanEqual:
            hi = min(hi, value)
        elif op is cst.Equal:
            lo, hi = max(lo, value), min(hi, value)
        ranges[name] = (lo, hi)

    def _range(self, name: str, scope: Scope) -> Optional[Tuple[float, float]]:
        current: Optional[Scope] = scope
        while current is not None:
            found = self._ranges.get(current, {}).get(name)
            if found is not None:
                return found
            current = current.parent
        return None

    def _checked_text(self, text: str, scope: Scope) -> bool:
        current: Optional[Scope] = scope
        while current is not None:
            if text in self._texts.get(current, ()):
                return True
            current = current.parent
        return False

    def decides(self, test: cst.BaseExpression, scope: Scope) -> bool:
        """True when the checks make ``test`` the same for every value they allow."""
        if self._checked_text(code(test), scope):
            return True
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            return self.decides(test.expression, scope)
        if isinstance(test, cst.BooleanOperation):
            return self.decides(test.left, scope) and self.decides(test.right, scope)
        if not isinstance(test, cst.Comparison):
            return False
        for pair in _pairs(test):
            bound = _name_bound(*pair)
            if bound is None:
                return False
            name, op, value = bound
            known = self._range(name, scope)
            if known is None or not _decided(known, op, value):
                return False
        return True


def _decided(known: Tuple[float, float], op: type, value: int) -> bool:
    lo, hi = known
    if op in (cst.Equal, cst.NotEqual):
        return value < lo or value > hi or lo == hi == value
    if op is cst.LessThan:
        return hi < value or lo >= value
    if op is cst.LessThanEqual:
        return hi <= value or lo > value
    if op is cst.GreaterThan:
        return lo > value or hi <= value
    if op is cst.GreaterThanEqual:
        return lo >= value or hi < value
    return False
