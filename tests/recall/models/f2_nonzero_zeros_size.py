"""Allocate a buffer sized by a nonzero() count (arithmetic on it)."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        idx = torch.nonzero(x > 0)
        return torch.zeros(idx.shape[0] * 2 + 1)
