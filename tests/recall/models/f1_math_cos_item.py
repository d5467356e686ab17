"""cos of an angle read with .item()."""

import math

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 2), torch.tensor(0.3))'
OTHER_INPUTS = '(torch.randn(4, 2), torch.tensor(1.2))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, angle):
        return x * math.cos(angle.item())  # recall: fails
