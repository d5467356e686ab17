"""A size tested with `in` against a Python list of supported lengths."""

import torch

ORIGIN = "pytorch/pytorch#147096"
INPUTS = '(torch.randn(2, 8),)'
OTHER_INPUTS = '(torch.randn(2, 6),)'
DYNAMIC_SHAPES = '{"x": {1: Dim("n")}}'


class Model(torch.nn.Module):
    def forward(self, x):
        if x.shape[1] in [4, 8, 16]:  # recall: fails
            return x * 2
        return x
