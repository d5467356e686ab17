"""log10 of a range read with .item()."""

import math

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.rand(4, 8) + 1,)'
OTHER_INPUTS = '(torch.rand(4, 8) + 5,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        return x / math.log10(x.max().item() + 10)  # recall: fails
