"""Iterate over a tensor whose first dim is Dim.AUTO: unrolled for one length."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(5, 4),)'
OTHER_INPUTS = '(torch.randn(7, 4),)'
DYNAMIC_SHAPES = '{"x": {0: Dim.AUTO}}'


class Model(torch.nn.Module):
    def forward(self, x):
        rows = []
        for row in x:  # recall: specializes
            rows.append(row * row.sum())
        return torch.stack(rows)
