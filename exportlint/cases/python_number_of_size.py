from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="python_number_of_size",
    summary="float() of a dynamic length: non-strict export specialises it",
    rules=("EXP118",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Mean over the sequence, dividing by the length as a float."""

    def forward(self, x):
        return x.sum(1) / float(x.shape[1])  # expect: EXP118
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The length stays a symbolic size."""

    def forward(self, x):
        return x.sum(1) / x.shape[1]
''',
    inputs="(torch.randn(2, 8, 4),)",
    other_inputs="(torch.randn(2, 12, 4),)",
    dynamic_shapes='{"x": {1: Dim("seq")}}',
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", modes=(STRICT,), measured_on="2.13.0",
                note="dynamo keeps float(n) symbolic"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="UserError", match="Constraints violated",
                note="with a named Dim; Dim.AUTO specialises", measured_on="2.13.0"),
    ),
)
