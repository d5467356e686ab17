"""math.sqrt of a dynamic size (the scale follows the length)."""

import math

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(2, 6),)'
OTHER_INPUTS = '(torch.randn(2, 9),)'
DYNAMIC_SHAPES = '{"x": {1: Dim("n")}}'


class Model(torch.nn.Module):
    def forward(self, x):
        return x / math.sqrt(x.shape[1])  # recall: fails non-strict
