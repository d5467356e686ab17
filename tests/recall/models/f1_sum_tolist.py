"""Keep as many rows as the lengths add up to, summed in Python."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(10, 4), torch.tensor([2, 3]))'
OTHER_INPUTS = '(torch.randn(10, 4), torch.tensor([1, 6]))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, lengths):
        total = sum(lengths.tolist())
        return x[:total]
