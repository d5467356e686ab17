from exportlint.cases._case import EXPORTS, SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="autocast_in_forward",
    summary="forward runs a projection under CPU bfloat16 autocast: strict export returns a program that raises",
    rules=("EXP220",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Projects in bfloat16 through autocast, returns float32."""

    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        with torch.autocast("cpu", dtype=torch.bfloat16):  # expect: EXP220
            y = self.fc(x)
        return y.float()
''',
    fixed='''\
import torch
import torch.nn.functional as F


class Model(torch.nn.Module):
    """Casts explicitly: the same bfloat16 matmul, no autocast region."""

    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        y = F.linear(x.bfloat16(), self.fc.weight.bfloat16(), self.fc.bias.bfloat16())
        return y.float()
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 3,)",
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", modes=(STRICT,),
                note="the exported program raises 'Tensor dtype mismatch' on the example inputs", measured_on="2.13.0"),
        Outcome(EXPORTS, versions=">=2.13", modes=(NON_STRICT,), measured_on="2.13.0"),
    ),
)
