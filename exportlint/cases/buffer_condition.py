from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="buffer_condition",
    summary="an if on a registered buffer: buffers are inputs of the program, not constants",
    rules=("EXP105",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Downsamples by a stride kept in a buffer (so it is saved in the state dict)."""

    def __init__(self, stride=2):
        super().__init__()
        self.register_buffer("stride", torch.tensor(stride))

    def forward(self, x):
        if self.stride > 1:  # expect: EXP105
            x = torch.nn.functional.avg_pool1d(x, 2)
        return x
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Configuration is a Python int: export reads it once, like any constant."""

    def __init__(self, stride=2):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        if self.stride > 1:
            x = torch.nn.functional.avg_pool1d(x, 2)
        return x
''',
    inputs="(torch.randn(2, 3, 8),)",
    other_inputs="(torch.randn(2, 3, 8) * 2,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="Data-dependent branching", measured_on="2.13.0, 2.14.1"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="Could not guard on data-dependent expression", measured_on="2.13.0, 2.14.1"),
    ),
)
