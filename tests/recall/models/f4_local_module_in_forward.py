"""Makes a throwaway Linear inside forward and applies it."""
import torch  # noqa: F401  (INPUTS are evaluated with torch in scope)
from torch import nn

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "module constructed in forward, pytorch forums / issues on export of nn.Linear built per call"


class Model(nn.Module):
    def forward(self, x):
        proj = nn.Linear(8, 3)  # recall: fails strict, specializes non-strict
        return proj(x)
