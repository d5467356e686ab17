"""Iterate over a tensor whose first dim is a named Dim."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(5, 4),)'
OTHER_INPUTS = '(torch.randn(7, 4),)'
DYNAMIC_SHAPES = '{"x": {0: Dim("batch")}}'


class Model(torch.nn.Module):
    def forward(self, x):
        rows = []
        for row in x:  # recall: fails
            rows.append(row * row.sum())
        return torch.stack(rows)
