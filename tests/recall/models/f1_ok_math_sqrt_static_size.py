"""math.sqrt of a static head dim."""

import math

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(2, 6, 8),)'
OTHER_INPUTS = '(torch.randn(2, 5, 8),)'
DYNAMIC_SHAPES = '{"q": {1: Dim("seq")}}'


class Model(torch.nn.Module):
    def forward(self, q):
        return q @ q.transpose(-1, -2) / math.sqrt(q.shape[-1])
