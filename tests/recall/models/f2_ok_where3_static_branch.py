"""Three-argument torch.where keeps the shape; a branch on a static dim."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        y = torch.where(x > 0, x, torch.zeros_like(x))
        if y.shape[1] > 4:
            return y * 2
        return y
