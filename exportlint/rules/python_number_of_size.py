"""EXP118: ``int()`` or ``float()`` of a size read from a tensor's shape, in non-strict export.

``x / float(x.shape[1])`` or ``x * int(n / 2)``: non-strict export runs
forward with symbolic sizes, and ``int()``/``float()`` ask for a plain Python
number, so export takes the example's size and guards the program with it.
With a named ``Dim`` export fails ("Constraints violated"); with ``Dim.AUTO``
the program accepts only that size. A size that is a product of named Dims
(a flattened ``H*W``, as in ``side = int(tokens.shape[1] ** 0.5)``) is not one
Dim export can blame: export succeeds and the program rejects other sizes.
Strict export keeps the size symbolic. Drop the cast (``x / x.shape[1]``,
``n // 2``): Python arithmetic on a size stays symbolic; a grid's sides come
from the input's shape, not from the square root of its flattened length.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


class PythonNumberOfSize(Rule):
    meta = RuleMeta(
        code="EXP118",
        name="python-number-of-size",
        summary="int() or float() of a size read from a tensor's shape (non-strict export)",
        why=(
            "int() and float() need a plain Python number; in non-strict export a dynamic size is a symbol, "
            "so export specialises it to the example's value."
        ),
        instead="drop the cast: arithmetic on the size stays symbolic (x / x.shape[1], n // 2, n * 0.5)",
        cases=("python_number_of_size", "python_number_of_flattened_size"),
        fails_when="with a named Dim",
        specializes="exports with the example's size baked in (a size that is a product of named Dims, e.g. H*W)",
        fix=NoAutofix("keep the size symbolic (drop int()/float()) where the code allows it: by hand"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        name = ctx.builtin(node.func)
        if name not in ("int", "float") or len(node.args) != 1 or node.args[0].star or node.args[0].keyword:
            return
        arg = node.args[0].value
        if ctx.kind(arg) is Kind.SIZE:
            hint = " (a grid's side: take it from the input's shape, before flattening)" if _square_root(arg) else ""
            self.report(ctx, node, f"`{name}()` of symbolic size `{code(arg)}`{hint}", behaviour)


def _square_root(node: cst.BaseExpression) -> bool:
    """``n ** 0.5``: the side of a square grid recovered from its flattened length."""
    return (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Power)
            and isinstance(node.right, cst.Float) and node.right.value == "0.5")
