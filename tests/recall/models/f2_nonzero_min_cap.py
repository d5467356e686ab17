"""Cap the number of selected indices with Python min()."""

import torch

ORIGIN = "pytorch/pytorch#135632"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        idx = torch.nonzero(x.flatten() > 0).squeeze(1)
        k = min(idx.shape[0], 5)
        return idx[:k]
