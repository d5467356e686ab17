"""repeat_interleave with an int repeat count (no data-dependent size)."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(3, 4),)'
OTHER_INPUTS = '(torch.randn(3, 4),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        y = x.repeat_interleave(2, dim=0)
        if y.shape[0] > 4:
            return y[:4]
        return y
