from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="lazy_module_uninitialized",
    summary="a LazyLinear exported before the model's first call: non-strict export meets uninitialised parameters",
    rules=("EXP124",),
    bad='''\
import torch
from torch import nn


class Model(nn.Module):
    """Infers the input width on the first call."""

    def __init__(self):
        super().__init__()
        self.fc = nn.LazyLinear(4)  # expect: EXP124

    def forward(self, x):
        return self.fc(x).relu()
''',
    fixed='''\
import torch
from torch import nn


class Model(nn.Module):
    """States the input width, so the parameters exist from the start."""

    def __init__(self, in_features=8):
        super().__init__()
        self.fc = nn.Linear(in_features, 4)

    def forward(self, x):
        return self.fc(x).relu()
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="ValueError",
                match="Attempted to use an uninitialized parameter", measured_on="2.13.0"),
        Outcome(EXPORTS, versions=">=2.13", modes=(STRICT,),
                note="TorchDynamo runs the lazy initialisation while tracing", measured_on="2.13.0"),
    ),
)
