from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="module_to_in_forward",
    summary="forward casts a submodule with .to(dtype): export cannot swap parameters mid-trace (switch_transformers)",
    rules=("EXP112",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Routes in float64 for stability, casting the router on every call."""

    def __init__(self):
        super().__init__()
        self.router = torch.nn.Linear(6, 4)
        with torch.no_grad():
            self.router.weight.copy_(torch.linspace(-1.0, 1.0, 24).reshape(4, 6))
            self.router.bias.zero_()

    def forward(self, x):
        self.router = self.router.to(torch.float64)  # expect: EXP112
        return self.router(x.double()).softmax(dim=-1).float()
''',
    fixed='''\
import torch
import torch.nn.functional as F


class Model(torch.nn.Module):
    """Casts the tensors, not the module."""

    def __init__(self):
        super().__init__()
        self.router = torch.nn.Linear(6, 4)
        with torch.no_grad():
            self.router.weight.copy_(torch.linspace(-1.0, 1.0, 24).reshape(4, 6))
            self.router.bias.zero_()

    def forward(self, x):
        logits = F.linear(x.double(), self.router.weight.double(), self.router.bias.double())
        return logits.softmax(dim=-1).float()
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(3, 6),)",
    dynamic_shapes='{"x": {0: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="RuntimeError",
                match="_apply(): Couldn't swap Linear.weight", measured_on="2.13.0, 2.14.1"),
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="Attempted to use `torch.nn.Parameter()` with export", measured_on="2.13.0, 2.14.1"),
    ),
)
