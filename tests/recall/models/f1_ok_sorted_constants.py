"""sorted() over a Python list of configured kernel sizes."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(1, 2, 16),)'
OTHER_INPUTS = '(torch.randn(1, 2, 16),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.kernels = [5, 3, 7]

    def forward(self, x):
        out = x
        for k in sorted(self.kernels):
            out = out + torch.nn.functional.avg_pool1d(x, k, stride=1, padding=k // 2)
        return out
