"""EXP129: ``getattr(self, name)`` with a name built from a tensor value or a size.

``getattr(self, f"expert{int(x.argmax())}")`` picks a submodule by data;
``getattr(self, f"proj{x.shape[1]}")`` by a dynamic size. Measured on torch
2.13: strict export refuses a name read from data ("getattr() with
non-constant name argument"); non-strict export fails on both, on the data
read ("Could not extract specialized integer from data-dependent
expression") or on the name, which holds the size's symbol
("AttributeError: 'Model' object has no attribute 'projs27'"). Strict export
of the size form fixes the size to the example's (a specialisation), which
this rule leaves to the strict user. Names from loop counters over constant
ranges or from config strings are fine and are not reported.
"""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import STRICT, Behaviour, Rule, RuleMeta


def _parts(expr: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The values a name expression is built from: f-string fields, concatenations, str()/int() arguments."""
    if isinstance(expr, cst.FormattedString):
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringExpression):
                yield from _parts(part.expression)
    elif isinstance(expr, cst.BinaryOperation):
        yield from _parts(expr.left)
        yield from _parts(expr.right)
    elif isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "str" and expr.args:
        yield from _parts(expr.args[0].value)
    else:
        yield expr


class ComputedGetattrName(Rule):
    meta = RuleMeta(
        code="EXP129",
        name="computed-getattr-name",
        summary="getattr(self, name) where the name is built from a value read from a tensor, or (non-strict) "
                "from a size",
        why="export resolves attribute names while tracing, when data values are unknown and dynamic sizes are "
            "symbols.",
        instead="keep the candidates in an nn.ModuleList / ModuleDict and select by a Python constant, or compute "
                "all branches and pick the result with torch.where / torch.cond",
        cases=("computed_getattr_name",),
        fails_when="when the name comes from tensor data",
        fix=NoAutofix("the name must become a constant or the modules an indexed container: a design change"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if ctx.builtin(node.func) != "getattr" or len(node.args) < 2:
            return
        owner, name = node.args[0].value, node.args[1].value
        if not (isinstance(owner, cst.Name) and owner.value == "self"):
            return
        tainting = {Kind.DATA} if ctx.target.mode == STRICT else {Kind.DATA, Kind.SIZE}
        if any(ctx.kind(part) in tainting for part in _parts(name)):
            self.report(ctx, node, f"attribute name `{code(name)}` is computed from a traced value", behaviour)
