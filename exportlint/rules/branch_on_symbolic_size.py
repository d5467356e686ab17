"""EXP212: ``if``/``while`` on arithmetic of a size read from a tensor's shape.

``pad = (4 - n % 4) % 4; if pad > 0: x = F.pad(...)`` (mamba2's chunk
padding) makes export evaluate the test on the example and keep only the
branch it took, guarded: with ``Dim.AUTO`` the program rejects sizes that
would take the other branch; with a named ``Dim`` export fails ("Constraints
violated"). Which dims are dynamic is not in the source, so the rule reports
what is most likely a varying size: arithmetic on sizes (``pad > 0``) and a
plain dim against a threshold (``if n > 4``). Silent: plain dims compared for
equality or with each other (``if q.shape[2] != k.shape[2]``, ``if
x.size(-1) == 4``: sanity checks on heads and channels, mostly static), a
plain dim against 0 or 1 (dynamic dims are at least 2), dims the code set
itself (``head_dim`` of ``q.view(b, -1, heads, head_size).size()``), ranks, dtypes,
``self.training``, and ``if``s whose body only raises (input validation: the
guard rejects what eager raises for), also after flags export fixes
(``if not interpolate_pos_encoding and h % patch != 0: raise``); a size test
before another operand of an ``and`` is reported (``n > 4 and flag``: the
guard holds where eager would not raise).
"""

from __future__ import annotations

from typing import Dict, Optional

import libcst as cst

from exportlint.analysis.export_sites import AUTO, DYNAMIC, STATIC
from exportlint.analysis.kinds import DataDependentLengths, Kind, parallel_assignment
from exportlint.analysis.scoped import ScopedFacts
from exportlint.analysis.static_dims import StaticDims
from exportlint.analysis.under_export import and_operands
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.sizes import code

_ORDER = (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual, cst.Equal, cst.NotEqual)


def _only_raises(body: cst.BaseSuite) -> bool:
    """True for a block of raise statements (and pass/docstrings): input validation."""
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    smalls = []
    for stmt in statements:
        if not isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return False
        smalls.extend(stmt.body)
    if not all(isinstance(small, (cst.Raise, cst.Pass)) or _is_docstring(small) for small in smalls):
        return False
    return any(isinstance(small, cst.Raise) for small in smalls)


def _has_and(test: cst.BaseExpression) -> bool:
    """`a and b` short-circuits: a guard on `a` alone may be narrower than the test."""
    if isinstance(test, cst.BooleanOperation):
        return isinstance(test.operator, cst.And) or _has_and(test.left) or _has_and(test.right)
    if isinstance(test, cst.UnaryOperation):
        return _has_and(test.expression)
    return False


def _raises_exactly_where_guarded(test: cst.BaseExpression, ctx) -> bool:
    """The guard a raising `if` leaves is its own test: no `and`, or an `and` whose operands before
    the last are flags export fixes (`not interpolate_pos_encoding and (h != w ...)`): the size test
    runs only when they hold, as in eager. A size test before another operand is guarded even where
    eager would not raise (`n > 4 and flag`)."""
    if not _has_and(test):
        return True
    if not (isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And)):
        return False
    operands = list(and_operands(test))
    return all(ctx.kind(o) is Kind.CONST for o in operands[:-1]) and not _has_and(operands[-1])


def _is_docstring(small: cst.BaseSmallStatement) -> bool:
    return isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))


def _int_literal(node: cst.BaseExpression) -> Optional[int]:
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    return None


class BranchOnSymbolicSize(Rule):
    meta = RuleMeta(
        code="EXP212",
        name="branch-on-symbolic-size",
        summary="an if/while/conditional expression whose test compares arithmetic of a tensor's size",
        why=(
            "A Python branch is decided at trace time. On a dynamic size export keeps only the branch the "
            "example took and guards the program with the test, so other sizes are rejected (Dim.AUTO) or the "
            "export itself fails (named Dim)."
        ),
        instead=(
            "compute both cases without Python control flow (F.pad by a size of 0 is a no-op; torch.where, "
            "torch.cond), or declare the dim static"
        ),
        cases=("branch_on_pad_size",),
        specializes='keeps only the branch the example took: with Dim.AUTO the program rejects sizes that take the '
                    'other branch, with a named Dim export fails ("Constraints violated")',
        fix=NoAutofix(
            "merging both branches into one computation (F.pad by 0, torch.where, torch.cond) depends on "
            "what each branch computes"
        ),
    )

    def __init__(self) -> None:
        # Names bound straight to one dim (n = x.shape[1]), per scope.
        self._plain: ScopedFacts[bool] = ScopedFacts()
        # Sizes of nonzero()/x[mask]/...: a test on them fails instead (EXP115's).
        self._lengths = DataDependentLengths()
        # Dims the code set itself (q.view(b, -1, heads, head_size)): never symbolic.
        self._fixed = StaticDims()

    # Which names are plain dims ------------------------------------------
    def _names(self, ctx) -> Dict[str, bool]:
        return self._plain.here(ctx.scope)

    def _is_plain(self, expr: cst.BaseExpression, ctx) -> bool:
        """A dim as read from the tensor, no arithmetic: x.shape[1], x.size(1), len(x), x.numel()."""
        if isinstance(expr, cst.Name):
            return self._plain.get(ctx.scope, expr.value) is True
        is_subscript = isinstance(expr, cst.Subscript)
        if not (is_subscript or isinstance(expr, cst.Call)):
            return False  # whatever its kind: asked first, the kind was computed for every assigned value
        if ctx.kind(expr) is not Kind.SIZE:
            return False
        if is_subscript:
            return True
        if ctx.builtin(expr.func) == "len":
            return True
        return isinstance(expr.func, cst.Attribute) and expr.func.attr.value in ("size", "numel")

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        for target in node.targets:
            self._lengths.bind(target.target, node.value, ctx.classifier, ctx.scope)
            self._fixed.bind(target.target, node.value, ctx)
        names = self._names(ctx)
        value_kind = None
        for target in node.targets:
            t = target.target
            if isinstance(t, cst.Name):
                if self._is_plain(node.value, ctx):
                    names[t.value] = True
                else:
                    names.pop(t.value, None)
            elif isinstance(t, (cst.Tuple, cst.List)) and parallel_assignment(t, node.value):
                for element, item in zip(t.elements, node.value.elements):  # h, w = x.shape[1], x.shape[2]
                    if isinstance(element.value, cst.Name):
                        if self._is_plain(item.value, ctx):
                            names[element.value.value] = True
                        else:
                            names.pop(element.value.value, None)
            elif isinstance(t, (cst.Tuple, cst.List)):
                if value_kind is None:
                    value_kind = ctx.kind(node.value)
                for element in t.elements:
                    if isinstance(element.value, cst.Name):
                        if value_kind is Kind.SHAPE:
                            names[element.value.value] = True  # b, n = x.shape
                        else:
                            names.pop(element.value.value, None)

    # Tests ------------------------------------------------------------------
    def _trivial(self, comparison: cst.Comparison, ctx) -> bool:
        """A plain dim against 0, 1 (or >= 2 / < 2): export knows the answer."""
        if len(comparison.comparisons) != 1:
            return False
        left, op = comparison.left, comparison.comparisons[0].operator
        right = comparison.comparisons[0].comparator
        flipped = {cst.LessThan: cst.GreaterThan, cst.GreaterThan: cst.LessThan,
                   cst.LessThanEqual: cst.GreaterThanEqual, cst.GreaterThanEqual: cst.LessThanEqual}
        op_type = type(op)
        if _int_literal(left) is not None and self._is_plain(right, ctx):
            left, right = right, left
            op_type = flipped.get(op_type, op_type)
        value = _int_literal(right)
        if value is None or not self._is_plain(left, ctx):
            return False
        if value <= 1:
            return True
        return value == 2 and op_type in (cst.GreaterThanEqual, cst.LessThan)

    def _size_comparison(self, test: cst.BaseExpression, ctx) -> Optional[cst.Comparison]:
        if isinstance(test, cst.BooleanOperation):
            return self._size_comparison(test.left, ctx) or self._size_comparison(test.right, ctx)
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            return self._size_comparison(test.expression, ctx)
        if not isinstance(test, cst.Comparison):
            return None
        if not all(isinstance(c.operator, _ORDER) for c in test.comparisons):
            return None
        kinds = [ctx.kind(test.left)] + [ctx.kind(c.comparator) for c in test.comparisons]
        if Kind.SIZE not in kinds or any(k not in (Kind.SIZE, Kind.CONST) for k in kinds):
            return None
        if self._trivial(test, ctx):
            return None
        operands = [test.left] + [c.comparator for c in test.comparisons]
        sizes = [o for o, k in zip(operands, kinds) if k is Kind.SIZE]
        if any(self._lengths.is_count(o, ctx.classifier, ctx.scope) for o in sizes):
            return None
        if all(self._fixed.is_fixed(o, ctx) for o in sizes):
            return None  # dims the code set to Python ints: the test is decided, nothing is guarded
        flavours = [ctx.size_flavour(o) for o in sizes]
        if all(f is not None and f.flavour == STATIC for f in flavours):
            return None  # static dims: the test is decided, nothing is guarded
        from exportlint.rules.branch_on_named_dim import named_comparison  # it imports this module

        if named_comparison(test, ctx) is not None:
            return None  # a named Dim or Dim.DYNAMIC: EXP132 says export fails
        declared_dynamic = any(f is not None and f.flavour in (AUTO, DYNAMIC) for f in flavours)
        if all(self._is_plain(o, ctx) for o in sizes) and not declared_dynamic:
            thresholds = (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)
            against_constant = any(k is Kind.CONST for k in kinds)
            if not (against_constant and all(isinstance(c.operator, thresholds) for c in test.comparisons)):
                return None  # equality of plain dims, or dim vs dim: mostly static sanity checks
        return test

    def _check(self, test: cst.BaseExpression, ctx, behaviour: Behaviour, keyword: str) -> None:

        found = self._size_comparison(test, ctx)
        if found is not None:
            self.report(ctx, found, f"{keyword} on symbolic size `{code(found)}`", behaviour)

    def visit_If(self, node: cst.If, ctx, behaviour: Behaviour) -> None:
        if _only_raises(node.body) and node.orelse is None and _raises_exactly_where_guarded(node.test, ctx):
            return  # validation: the guard rejects exactly the sizes eager raises for
        self._check(node.test, ctx, behaviour, "`if`")

    def visit_While(self, node: cst.While, ctx, behaviour: Behaviour) -> None:
        self._check(node.test, ctx, behaviour, "`while`")

    def visit_IfExp(self, node: cst.IfExp, ctx, behaviour: Behaviour) -> None:
        self._check(node.test, ctx, behaviour, "conditional expression")
