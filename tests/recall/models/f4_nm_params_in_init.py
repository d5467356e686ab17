"""Parameter, buffer and submodule all made in __init__: clean."""
import torch
from torch import nn

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "docs: torch.export tutorial (the usual module layout)"


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.gain = nn.Parameter(torch.ones(8))
        self.register_buffer("shift", torch.full((8,), 0.5))
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        return self.head(x * self.gain - self.shift)
