"""A test on the rank dim of nonzero() (static: x.dim())."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        idx = torch.nonzero(x > 0)
        if idx.shape[1] == 2:
            return idx.sum(1)
        return idx[:, 0]
