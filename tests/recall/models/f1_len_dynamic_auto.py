"""len() of a Dim.AUTO batch used as a divisor."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(5, 4),)'
OTHER_INPUTS = '(torch.randn(7, 4),)'
DYNAMIC_SHAPES = '{"x": {0: Dim.AUTO}}'


class Model(torch.nn.Module):
    def forward(self, x):
        return x.sum(0) / len(x)  # recall: specializes non-strict
