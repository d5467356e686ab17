"""torch._check decides the branch on a nonzero() count."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        idx = torch.nonzero(x > 0)
        n = idx.shape[0]
        torch._check(n >= 0)
        if n >= 0:
            return idx
        return idx[:0]
