"""Builds its output head on the first call, sized from the input."""
import torch  # noqa: F401  (INPUTS are evaluated with torch in scope)
from torch import nn

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "lazily built submodule, pytorch/pytorch issues on export of modules created in forward"


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = None

    def forward(self, x):
        if self.head is None:
            self.head = nn.Linear(x.shape[-1], 3)  # recall: fails strict, specializes non-strict
        return self.head(x)
