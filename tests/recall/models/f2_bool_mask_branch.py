"""Branch on the row count of boolean-mask indexing."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(10, 4),)'
OTHER_INPUTS = '(torch.randn(10, 4) + 3,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        kept = x[x[:, 0] > 0]
        if kept.shape[0] < 2:  # recall: fails
            return x.mean(0)
        return kept.mean(0)
