"""Branch on the length of repeat_interleave with tensor repeats."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(3, 4), torch.tensor([1, 2, 3]))'
OTHER_INPUTS = '(torch.randn(3, 4), torch.tensor([4, 4, 4]))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, repeats):
        y = x.repeat_interleave(repeats, dim=0)
        if y.shape[0] > 8:  # recall: fails
            return y[:8]
        return y
