"""Dims a traced function fixes itself: ``q = x.view(b, -1, self.heads, self.head_size)``
makes q's last two dims Python ints whatever the input's shape, so
``batch, heads, seq, head_dim = q.transpose(1, 2).size()`` binds two sizes export never
makes symbolic, and a test on them is decided without a guard (yoso's
``if head_dim < 32``; measured: exports with a named Dim on the sequence, no range narrowed).

Flow-insensitive, per scope, like the other name tables: a name rebound to anything else is
forgotten. Only explicit ``view``/``reshape`` sizes, ``transpose``/``permute`` by int literals
and ``contiguous()`` are followed.
"""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.analysis.models import self_attribute
from exportlint.analysis.scoped import ScopedFacts
from exportlint.analysis.literals import int_literal

Dims = Tuple[bool, ...]  # per dim: True when the traced code set it to a Python int


def _python_int(size: cst.BaseExpression, ctx) -> bool:
    """A view size that is a Python int at export: a literal (not -1, inferred), a constant, or
    an attribute of the module that holds no tensor or size (set in __init__ from the config,
    before export sees any input)."""
    literal = int_literal(size)
    if literal is not None:
        return literal >= 0
    kind = ctx.kind(size)
    if kind is Kind.CONST:
        return True
    return self_attribute(size) is not None and kind is Kind.UNKNOWN


class StaticDims:
    def __init__(self) -> None:
        self._tensors: ScopedFacts[Dims] = ScopedFacts()  # tensor name -> the dims the code fixed
        self._fixed: ScopedFacts[bool] = ScopedFacts()  # names bound to a dim the code fixed

    def dims(self, expr: cst.BaseExpression, ctx) -> Optional[Dims]:
        """Which dims of the tensor ``expr`` the code fixed, or None when not followed."""
        if isinstance(expr, cst.Name):
            return self._tensors.get(ctx.scope, expr.value)
        if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute)):
            return None
        method, receiver = expr.func.attr.value, expr.func.value
        args = [a.value for a in expr.args]
        if any(a.star or a.keyword is not None for a in expr.args):
            return None
        if method in ("view", "reshape") and len(args) > 1:
            return tuple(_python_int(a, ctx) for a in args)
        if method == "contiguous" and not args:
            return self.dims(receiver, ctx)
        inner = self.dims(receiver, ctx) if method in ("transpose", "permute") else None
        if inner is None:
            return None
        order = [int_literal(a) for a in args]
        if any(i is None or not -len(inner) <= i < len(inner) for i in order):
            return None
        order = [i % len(inner) for i in order]
        if method == "transpose" and len(order) == 2:
            swapped = list(inner)
            swapped[order[0]], swapped[order[1]] = inner[order[1]], inner[order[0]]
            return tuple(swapped)
        if method == "permute" and sorted(order) == list(range(len(inner))):
            return tuple(inner[i] for i in order)
        return None

    def bind(self, target: cst.BaseExpression, value: cst.BaseExpression, ctx) -> None:
        tensors, fixed = self._tensors.here(ctx.scope), self._fixed.here(ctx.scope)
        if isinstance(target, cst.Name):
            found = self.dims(value, ctx)
            fixed.pop(target.value, None)
            if found is None:
                tensors.pop(target.value, None)
            else:
                tensors[target.value] = found
            return
        if not isinstance(target, (cst.Tuple, cst.List)):
            return
        names = [e.value.value if isinstance(e.value, cst.Name) else None for e in target.elements]
        dims = self._shape_dims(value, ctx)
        for position, name in enumerate(names):
            if name is None:
                continue
            tensors.pop(name, None)
            if dims is not None and len(dims) == len(names) and dims[position]:
                fixed[name] = True
            else:
                fixed.pop(name, None)

    def _shape_dims(self, value: cst.BaseExpression, ctx) -> Optional[Dims]:
        """Dims of ``t.size()`` or ``t.shape`` when t's are followed."""
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and not value.args:
            if value.func.attr.value == "size":
                return self.dims(value.func.value, ctx)
        if isinstance(value, cst.Attribute) and value.attr.value == "shape":
            return self.dims(value.value, ctx)
        return None

    def is_fixed(self, expr: cst.BaseExpression, ctx) -> bool:
        """A name bound to a dim the traced code set to a Python int."""
        return isinstance(expr, cst.Name) and self._fixed.get(ctx.scope, expr.value) is True
