"""Unpack torch.where(mask) and branch on the row count."""

import torch

ORIGIN = "pytorch/pytorch#135618"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8) - 5,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        rows, cols = torch.where(x > 0.5)
        if rows.shape[0] > 0:  # recall: fails
            return x[rows, cols].mean()
        return x.mean()
