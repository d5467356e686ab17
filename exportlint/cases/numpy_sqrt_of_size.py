from exportlint.cases._case import FAILS, SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="numpy_sqrt_of_size",
    summary="np.sqrt of a dynamic size: non-strict export cannot apply a NumPy ufunc to a SymInt",
    rules=("EXP111",),
    bad='''\
import numpy as np
import torch


class Model(torch.nn.Module):
    """Scales by one over the square root of the width."""

    def forward(self, x):
        return x / np.sqrt(x.shape[1])  # expect: EXP111
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Python arithmetic on the size stays symbolic."""

    def forward(self, x):
        return x / x.shape[1] ** 0.5
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(2, 9),)",
    dynamic_shapes='{"x": {1: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="TypeError",
                match="loop of ufunc does not support argument 0 of type SymInt", measured_on="2.13.0, 2.14.1"),
        Outcome(SPECIALIZES, versions=">=2.13", modes=(STRICT,),
                note="rejects other widths (Guard failed: x.size()[1] == 6)", measured_on="2.13.0, 2.14.1"),
    ),
)
