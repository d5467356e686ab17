from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="math_on_data",
    summary="math.log of a maximum read with .item(): Python math needs a value export does not have",
    rules=("EXP114",),
    bad='''\
import math

import torch


class Model(torch.nn.Module):
    """Scales by the log of the largest activation."""

    def forward(self, x):
        top = x.max().item()
        return x * math.log(top)  # expect: EXP114
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The maximum stays a tensor; torch.log traces."""

    def forward(self, x):
        return x * torch.log(x.max())
''',
    inputs="(torch.rand(4, 8) + 1,)",
    other_inputs="(torch.rand(4, 8) + 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="UserError",
                match="Could not guard on data-dependent expression", measured_on="2.13.0"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="Could not guard on data-dependent expression", measured_on="2.13.0"),
    ),
)
