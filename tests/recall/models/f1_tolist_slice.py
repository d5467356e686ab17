"""Slice bounds read with .tolist() from a span tensor."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(2, 10), torch.tensor([2, 6]))'
OTHER_INPUTS = '(torch.randn(2, 10), torch.tensor([1, 8]))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, span):
        start, end = span.tolist()
        return x[:, start:end]
