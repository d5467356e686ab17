"""Normalises with a LayerNorm built per call, sized from the input."""
import torch  # noqa: F401  (INPUTS are evaluated with torch in scope)
from torch import nn

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "`nn.LayerNorm(x.shape[-1])(x)` in forward, a frequent port of functional code"


class Model(nn.Module):
    def forward(self, x):
        return nn.LayerNorm(x.shape[-1])(x)  # recall: fails strict
