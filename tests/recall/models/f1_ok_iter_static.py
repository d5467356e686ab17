"""Iterating over a static first dim (heads)."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(3, 4, 6),)'
OTHER_INPUTS = '(torch.randn(3, 5, 6),)'
DYNAMIC_SHAPES = '{"x": {1: Dim("seq")}}'


class Model(torch.nn.Module):
    def forward(self, x):
        return torch.stack([head.softmax(-1) for head in x])
