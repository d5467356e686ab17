"""A parameter-free module (Softmax, ReLU) built in forward: clean near-miss."""
import torch  # noqa: F401  (INPUTS are evaluated with torch in scope)
from torch import nn

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "near-miss of module-in-forward: `nn.Softmax(dim=-1)(x)`"


class Model(nn.Module):
    def forward(self, x):
        return nn.Softmax(dim=-1)(nn.ReLU()(x))
