"""Mean of the positives, or zero when there are none."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8) - 9,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        pos = torch.masked_select(x, x > 0)
        if pos.numel() > 0:  # recall: fails
            return pos.mean()
        return x.new_zeros(())
