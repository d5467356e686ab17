"""EXP114: ``math.log``/``log10``/``exp``/``cos``/``sqrt`` of a value read from tensor data.

``x * math.log(x.max().item())`` hands an unbacked symbol to a Python float
function; export cannot compute it without the value. Measured on torch 2.13
(tests/recall f1_math_*): ``math.log``, ``math.log10``, ``math.exp`` and
``math.cos`` fail in both modes ("Could not guard on data-dependent
expression"; strict ``math.cos``: SpecViolationError), ``math.sqrt`` in
non-strict only (strict export traces it). ``math.ceil``/``math.floor`` of
``.item()`` export, so they are not reported. Keep the value a tensor:
``torch.log(x.max())``.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.data_dependent import code, is_loose_parameter
from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import BOTH_MODES, NON_STRICT, Behaviour, Rule, RuleMeta

# Each function's failing modes, as measured on torch 2.13 (tests/recall: f1_math_*).
_FAILS_IN = {
    "math.log": BOTH_MODES,
    "math.log10": BOTH_MODES,
    "math.exp": BOTH_MODES,
    "math.cos": BOTH_MODES,
    "math.sqrt": (NON_STRICT,),
}


class MathOnData(Rule):
    meta = RuleMeta(
        code="EXP114",
        name="math-on-data",
        summary="math.log/log10/exp/cos, or math.sqrt (non-strict), of a value read from tensor data (.item())",
        why=(
            "A value read from the data is an unbacked symbol at trace time; Python's math functions need "
            "a real float, which export does not have."
        ),
        instead="keep the value a tensor and use torch.log / torch.exp / torch.sqrt on it",
        cases=("math_on_data",),
        fix=NoAutofix("the value must stay a tensor (torch.log, torch.sqrt, ...) through the code that uses it"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        name = ctx.builtin(node.func)
        if name not in _FAILS_IN or ctx.target.mode not in _FAILS_IN[name]:
            return
        if len(node.args) != 1 or node.args[0].star or node.args[0].keyword:
            return
        arg = node.args[0].value
        if ctx.kind(arg) is Kind.DATA and not is_loose_parameter(arg, ctx):
            self.report(ctx, node, f"`{name}()` of `{code(arg)}`, a value read from tensor data", behaviour)
