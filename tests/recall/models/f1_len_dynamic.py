"""len() of a tensor whose first dim is a named Dim, used as a scale."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(5, 4),)'
OTHER_INPUTS = '(torch.randn(7, 4),)'
DYNAMIC_SHAPES = '{"x": {0: Dim("batch")}}'


class Model(torch.nn.Module):
    def forward(self, x):
        n = len(x)  # recall: fails non-strict
        return x.sum(0) / n
