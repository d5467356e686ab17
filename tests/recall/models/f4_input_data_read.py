"""Reads the input's .data to build a detached mask."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "legacy `x.data` reads in forward (pre-0.4 code ported to export)"


class Model(torch.nn.Module):
    def forward(self, x):
        mask = x.data > 0  # recall: specializes strict, fails non-strict
        return x * mask
