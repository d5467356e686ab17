"""Branch on numel() of torch.where(cond)[0] (one-argument where)."""

import torch

ORIGIN = "pytorch/pytorch#135618"
INPUTS = '(torch.randn(20),)'
OTHER_INPUTS = '(torch.randn(20) + 1,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        y = torch.where(x > 0)[0]
        if y.numel() < 10:  # recall: fails
            return x * 2
        return x
