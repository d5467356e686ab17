from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="near_miss_static_branches",
    summary=(
        "branches and loops export decides without a new guard: ranks, dtypes, training, a dim against 1, "
        "validation that raises, constants"
    ),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Every test here is known at trace time whatever the sequence length."""

    def __init__(self):
        super().__init__()
        self.num_steps = 3

    def forward(self, x):
        seq_len = x.shape[1]
        if seq_len > 1:
            x = x * 2
        if x.size(1) == 1:
            x = x.squeeze(1)
        if x.dim() == 2 and x.dtype == torch.float32:
            x = x + 1
        if self.training:
            x = x * 0.5
        if seq_len % 2 != 0:
            raise ValueError("the sequence length must be even")
        for _ in range(self.num_steps):
            x = torch.tanh(x)
        for axis in range(x.dim()):
            x = x - x.mean(dim=axis, keepdim=True)
        return x
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(2, 8),)",
    dynamic_shapes='{"x": {1: Dim.AUTO}}',
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
