"""Pad-to-longest: slice to the largest length, found with max() over .tolist()."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(3, 10), torch.tensor([4, 7, 2]))'
OTHER_INPUTS = '(torch.randn(3, 10), torch.tensor([4, 9, 2]))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, lengths):
        longest = max(lengths.tolist())
        return x[:, :longest]
