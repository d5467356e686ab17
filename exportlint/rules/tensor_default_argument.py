"""EXP202: a tensor as the default value of a forward parameter.

``def forward(self, x, y=torch.randn(2, 3))``: export traces the default as a
constant of the program, so the exported program ignores a ``y`` passed later
(it raises), and strict export in 2.5-2.9 refuses it outright. Make the input
required, or default to None and build the tensor inside forward.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.fix import UNSAFE, Autofix, Form
from exportlint.fixes.rewrite import InsertBefore, Replace, Rewrite, code
from exportlint.rule import Behaviour, Rule, RuleMeta


class TensorDefaultArgument(Rule):
    meta = RuleMeta(
        code="EXP202",
        name="tensor-default-argument",
        summary="a parameter of forward whose default value is a tensor",
        why=(
            "export treats a default it did not receive as a constant: the tensor is baked into the program "
            "and the input disappears from its signature."
        ),
        instead=(
            "make the input required and pass it to export, or default it to None and create the tensor inside forward"
        ),
        cases=("optional_input",),
        specializes='bakes the default tensor in as a constant; passing the argument to the exported program raises',
        fix=Autofix(
            forms=(
                Form("def forward(self, x, y=torch.ones(3)) -> def forward(self, x, y=None), with "
                     "if y is None: y = torch.ones(3) at the top of the body", UNSAFE,
                     "the default tensor is built on every call instead of once (a random default draws anew; "
                     "in-place changes to it no longer persist), and an explicit y=None now means the default"),
            ),
            otherwise="forward's body is on the def's line or holds nothing but a docstring",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef, ctx, behaviour: Behaviour) -> None:
        if ctx.function is None or node is not ctx.function.node or not ctx.function.is_forward:
            return
        params = node.params
        for param in list(params.posonly_params) + list(params.params) + list(params.kwonly_params):
            if param.default is not None and ctx.kind(param.default) is Kind.TENSOR:
                self.report(
                    ctx, param.default, f"tensor default for forward parameter `{param.name.value}`", behaviour,
                    _default_in_body(node, param),
                )


def _default_in_body(node: cst.FunctionDef, param: cst.Param):
    if not isinstance(node.body, cst.IndentedBlock):
        return None
    statements = list(node.body.body)
    first = statements[0]
    if isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Expr):
        if isinstance(first.body[0].value, (cst.SimpleString, cst.ConcatenatedString)):
            statements = statements[1:]  # keep the docstring first
    if not statements:
        return None
    name = param.name.value
    return Rewrite(
        UNSAFE, f"default `{name}` to None and build the tensor in the body",
        (
            Replace(param.default, "None"),
            InsertBefore(statements[0], (f"if {name} is None:", f"    {name} = {code(param.default)}")),
        ),
    )
