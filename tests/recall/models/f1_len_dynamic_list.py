"""len() of a dynamic batch builds a Python list of that length."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(5, 4),)'
OTHER_INPUTS = '(torch.randn(7, 4),)'
DYNAMIC_SHAPES = '{"x": {0: Dim("batch")}}'


class Model(torch.nn.Module):
    def forward(self, x):
        weights = [1.0] * len(x)  # recall: fails
        return x * torch.tensor(weights).unsqueeze(1)
