"""`in` test of a static channel count."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(2, 3, 8),)'
OTHER_INPUTS = '(torch.randn(2, 3, 10),)'
DYNAMIC_SHAPES = '{"x": {2: Dim("n")}}'


class Model(torch.nn.Module):
    def forward(self, x):
        if x.shape[1] in (1, 3):
            return x.mean(1, keepdim=True)
        return x
