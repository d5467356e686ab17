from exportlint.cases._case import FAILS, SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="module_created_in_forward",
    summary="forward builds an nn.Linear per call: strict export fails, non-strict bakes its random weights in",
    rules=("EXP123",),
    bad='''\
import torch
from torch import nn


class Model(nn.Module):
    """Projects with a Linear made inside forward."""

    def forward(self, x):
        proj = nn.Linear(8, 3)  # expect: EXP123
        return proj(x)
''',
    fixed='''\
import torch
from torch import nn


class Model(nn.Module):
    """The projection is a submodule, built once in __init__."""

    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 3)

    def forward(self, x):
        return self.proj(x)
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="Attempted to use `torch.nn.Parameter()` with export", measured_on="2.13.0"),
        Outcome(SPECIALIZES, versions=">=2.13", modes=(NON_STRICT,),
                note="the weights drawn while tracing are constants of the program", measured_on="2.13.0"),
    ),
)
