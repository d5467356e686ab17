"""Weights edited through .data in __init__, not forward: clean."""
import torch  # noqa: F401  (INPUTS are evaluated with torch in scope)
from torch import nn

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "common init code: weight.data.normal_() in __init__ / _init_weights"


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 4)
        self._init_weights()

    def _init_weights(self):
        self.proj.weight.data.fill_(0.1)
        self.proj.bias.data.zero_()

    def forward(self, x):
        return self.proj(x)
