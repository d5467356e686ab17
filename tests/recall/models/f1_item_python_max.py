"""Python max() of an .item() count and 1, used as a divisor."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(4, 8), torch.tensor(3))'
OTHER_INPUTS = '(torch.randn(4, 8), torch.tensor(5))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, count):
        denom = max(count.item(), 1)
        return x / denom
