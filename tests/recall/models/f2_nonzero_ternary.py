"""Conditional expression on the size of nonzero()."""

import torch

ORIGIN = "pytorch/pytorch#144691"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8) - 1,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        idx = x.nonzero()
        scale = 1.0 if idx.size(0) > 16 else 2.0  # recall: fails
        return x * scale
