"""masked_fill instead of selecting: the size never depends on data."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        pos = x.masked_fill(x <= 0, 0.0)
        count = (x > 0).sum().clamp(min=1)
        return pos.sum() / count
