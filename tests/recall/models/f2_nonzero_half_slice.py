"""Keep the first half of the nonzero indices (integer arithmetic)."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        idx = torch.nonzero(x.flatten() > 0).squeeze(1)
        half = idx.shape[0] // 2
        return idx[:half]
