from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="checkpoint_in_forward",
    summary="forward checkpoints a block's activations: strict export cannot lower the checkpoint operator",
    rules=("EXP121",),
    bad='''\
import torch
from torch.utils.checkpoint import checkpoint


class Model(torch.nn.Module):
    """Recomputes the block in backward to save memory, on every call."""

    def __init__(self):
        super().__init__()
        self.block = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.GELU())

    def forward(self, x):
        return checkpoint(self.block, x, use_reentrant=False)  # expect: EXP121
''',
    fixed='''\
import torch
from torch.utils.checkpoint import checkpoint


class Model(torch.nn.Module):
    """Checkpoints only while training; export runs the eval model."""

    def __init__(self):
        super().__init__()
        self.block = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.GELU())
        self.eval()

    def forward(self, x):
        if self.training:
            return checkpoint(self.block, x, use_reentrant=False)
        return self.block(x)
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="RuntimeError",
                match="_checkpoint_context_fn", measured_on="2.13.0"),
        Outcome(EXPORTS, versions=">=2.13", modes=(NON_STRICT,), note="non-strict traces through the checkpoint",
                measured_on="2.13.0"),
    ),
)
