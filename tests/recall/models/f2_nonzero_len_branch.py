"""Branch on len() of nonzero()."""

import torch

ORIGIN = "pytorch/pytorch#144691"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8) - 2,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        idx = (x > 0).nonzero()
        if len(idx) > 3:  # recall: fails
            return x * 2
        return x
