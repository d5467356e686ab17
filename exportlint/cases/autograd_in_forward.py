from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="autograd_in_forward",
    summary="forward returns forces as the gradient of a learned energy: export cannot trace autograd.grad",
    rules=("EXP126",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Forces = -dE/dpos, with E a small MLP."""

    def __init__(self):
        super().__init__()
        self.energy = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))

    def forward(self, pos):
        with torch.enable_grad():
            pos = pos.detach().requires_grad_(True)
            e = self.energy(pos).sum()
            (grad,) = torch.autograd.grad(e, pos)  # expect: EXP126
        return -grad
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The same forces, with the derivative of the MLP written out."""

    def __init__(self):
        super().__init__()
        self.energy = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))

    def forward(self, pos):
        first, last = self.energy[0], self.energy[2]
        h = torch.tanh(first(pos))
        grad = ((1 - h * h) * last.weight) @ first.weight
        return -grad
''',
    inputs="(torch.randn(4, 3),)",
    other_inputs="(torch.randn(4, 3) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="using `torch.autograd.grad`", measured_on="2.13.0"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="RuntimeError",
                match="We found a fake tensor in the exported program constant's list", measured_on="2.13.0"),
    ),
)
