"""floor of a value read with .item(), used as a multiplier."""

import math

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 8), torch.tensor(2.7))'
OTHER_INPUTS = '(torch.randn(4, 8), torch.tensor(4.2))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, s):
        return x * math.floor(s.item())
