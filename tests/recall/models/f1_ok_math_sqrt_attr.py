"""math.sqrt of a constant set in __init__."""

import math

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.dim = 8

    def forward(self, x):
        return x / math.sqrt(self.dim)
