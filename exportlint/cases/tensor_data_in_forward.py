from exportlint.cases._case import FAILS, SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="tensor_data_in_forward",
    summary="forward updates a running mean through `.data`: export cannot track writes through the alias",
    rules=("EXP120",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Keeps an exponential moving average of the batch mean in a buffer."""

    def __init__(self):
        super().__init__()
        self.register_buffer("running", torch.zeros(8))

    def forward(self, x):
        self.running.data.copy_(0.9 * self.running + 0.1 * x.mean(0))  # expect: EXP120
        return x - self.running
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Updates the buffer itself, in place: export records the mutation."""

    def __init__(self):
        super().__init__()
        self.register_buffer("running", torch.zeros(8))

    def forward(self, x):
        self.running.copy_(0.9 * self.running + 0.1 * x.mean(0))
        return x - self.running
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) + 2,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="RuntimeError",
                match="We found a fake tensor in the exported program constant's list", measured_on="2.13.0"),
        Outcome(SPECIALIZES, versions=">=2.13", modes=(STRICT,),
                note="the write through .data is not in the program: differs from eager", measured_on="2.13.0"),
    ),
)
