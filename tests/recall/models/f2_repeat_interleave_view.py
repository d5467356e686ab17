"""Reshape the output of repeat_interleave with tensor repeats."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(3, 4), torch.tensor([1, 2, 3]))'
OTHER_INPUTS = '(torch.randn(3, 4), torch.tensor([2, 2, 2]))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, repeats):
        y = torch.repeat_interleave(x, repeats, dim=0)
        return y.view(-1, 2, 4)
