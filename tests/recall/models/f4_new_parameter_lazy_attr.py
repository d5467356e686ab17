"""Creates its gain parameter on the first call, sized from the input."""
import torch
from torch import nn

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "lazy parameter creation in forward, pytorch/pytorch issues on export of lazily built modules"


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.gain = None

    def forward(self, x):
        if self.gain is None:
            self.gain = nn.Parameter(torch.ones(x.shape[-1]))  # recall: fails strict
        return x * self.gain
