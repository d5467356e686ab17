"""Reshape a boolean-mask selection into rows of 4."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(4, 8), torch.tensor([True, False, True, True]))'
OTHER_INPUTS = '(torch.randn(4, 8), torch.tensor([True, False, False, True]))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, keep):
        sel = x[keep]
        return sel.reshape(-1, 2, 4).sum(1)
