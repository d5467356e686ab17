"""math.ceil(n / 2) padding then view, named Dim."""

import math

import torch

ORIGIN = "docs: ExportDB dynamic_shape_round; exportlint issue #14"
INPUTS = '(torch.randn(2, 8, 4),)'
OTHER_INPUTS = '(torch.randn(2, 12, 4),)'
DYNAMIC_SHAPES = '{"x": {1: Dim("seq")}}'


class Model(torch.nn.Module):
    def forward(self, x):
        n = x.shape[1]
        padded = torch.nn.functional.pad(x, (0, 0, 0, math.ceil(n / 2) * 2 - n))
        return padded.reshape(2, math.ceil(n / 2), 8)  # recall: fails non-strict
