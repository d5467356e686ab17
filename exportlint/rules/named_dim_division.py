"""EXP130: ``//`` or ``%`` of a size declared as a named ``Dim``.

``x[:, : x.shape[1] // 2]`` with ``dynamic_shapes={"x": {1: Dim("t")}}``:
export must prove the code right for every t in the Dim's range, and ``t // 2``
adds a guard on t's parity it cannot prove ("Constraints violated"). Declare
the dim as a multiple (``2 * Dim("h")``), or let export infer with
``Dim.AUTO``, which exports. Reported only where the site (or the settings)
declares a named Dim: on static dims ``// 2`` is a constant (rotate_half's
``x.shape[-1] // 2`` on the head dim is fine).
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.export_sites import NAMED
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta

_OPERATORS = {cst.FloorDivide: "//", cst.Modulo: "%"}


def plain_size(node: cst.BaseExpression) -> bool:
    """A dim as read (x.shape[1], x.size(1), len(x)) or a name: not arithmetic."""
    return isinstance(node, (cst.Name, cst.Subscript, cst.Call))


class NamedDimDivision(Rule):
    meta = RuleMeta(
        code="EXP130",
        name="named-dim-division",
        summary="`//` or `%` by a constant of a size declared as a named Dim that is not a multiple of it",
        why=(
            "A named Dim promises the code works for every size in its range; n // k and n % k make export "
            "guard on n's remainder, which it cannot prove for all n."
        ),
        instead=(
            'declare the dim as a multiple of the divisor (2 * Dim("h") for // 2), or use Dim.AUTO'
        ),
        cases=("named_dim_division",),
        fix=NoAutofix("the fix is at the export call: declare the dim as a multiple (2 * Dim('h')) or Dim.AUTO"),
    )

    def visit_BinaryOperation(self, node: cst.BinaryOperation, ctx, behaviour: Behaviour) -> None:
        symbol = _OPERATORS.get(type(node.operator))
        if symbol is None or not isinstance(node.right, cst.Integer) or not plain_size(node.left):
            return
        k = int(node.right.evaluated_value)
        flavour = ctx.size_flavour(node.left)
        if k < 2 or flavour is None or flavour.flavour != NAMED or flavour.spec.multiple % k == 0:
            return
        what = f"{flavour.describe()}: `{code(node)}` needs {flavour.dim_name} to be a multiple of {k}"
        self.report(ctx, node, what, behaviour)
