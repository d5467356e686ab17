"""Helpers shared by the rules about symbolic sizes (no rule lives here)."""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.tree_from_ast import source_code as code  # noqa: F401  (the rules' name)


def holds_size(expr: cst.BaseExpression, ctx) -> bool:
    """True when expr is a size or shape read from a tensor, or a literal
    list/tuple with one among its elements."""
    if isinstance(expr, (cst.List, cst.Tuple)):
        return any(
            not isinstance(el, cst.StarredElement) and holds_size(el.value, ctx) for el in expr.elements
        )
    if ctx.kind(expr) not in (Kind.SIZE, Kind.SHAPE):
        return False
    flavour = ctx.size_flavour(expr)
    return flavour is None or flavour.flavour != "static"  # a static dim is a constant


def numpy_function(func: cst.BaseExpression, ctx):
    """'lcm' for np.lcm / numpy.lcm / `from numpy import lcm`, else None."""
    qualified = ctx.qualify(func)
    if qualified and qualified.startswith("numpy."):
        return qualified[len("numpy."):]
    return None
