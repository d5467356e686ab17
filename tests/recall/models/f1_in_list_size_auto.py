"""A size tested with `in` against a list, Dim.AUTO: the branch is baked in."""

import torch

ORIGIN = "pytorch/pytorch#147096"
INPUTS = '(torch.randn(2, 8),)'
OTHER_INPUTS = '(torch.randn(2, 6),)'
DYNAMIC_SHAPES = '{"x": {1: Dim.AUTO}}'


class Model(torch.nn.Module):
    def forward(self, x):
        if x.shape[1] in [4, 8, 16]:  # recall: specializes
            return x * 2
        return x
