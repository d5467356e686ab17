"""Normalise by the square root of a variance read with .item()."""

import math

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8) * 3,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        var = x.var().item()
        return x / math.sqrt(var + 1e-5)  # recall: fails non-strict
