from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="unsupported_operator",
    summary="torch.sym_max on a size: strict export of old releases cannot trace it",
    exportdb="unsupported_operator",
    rules=("EXP102",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Scales by the width, but never by less than 2."""

    def forward(self, x):
        scale = torch.sym_max(x.size(1), 2)  # expect: EXP102
        return x * scale
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The builtin max() of sizes traces in every release."""

    def forward(self, x):
        scale = max(x.size(1), 2)
        return x * scale
''',
    inputs="(torch.randn(2, 3),)",
    other_inputs="(torch.randn(2, 5),)",
    dynamic_shapes='{"x": {1: Dim("width", min=3)}}',
    bad_outcomes=(
        Outcome(FAILS, versions="<2.8", modes=(STRICT,), error="Unsupported",
                match="torch.* op returned non-Tensor", note="from the issue's measurement on 2.7.1"),
        Outcome(EXPORTS, versions=">=2.12", measured_on="2.13.0, 2.14.1"),
        Outcome(EXPORTS, modes=(NON_STRICT,)),
    ),
)
