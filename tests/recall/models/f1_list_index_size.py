"""Per-length table lookup: a Python list indexed with a dynamic size."""

import torch

ORIGIN = "pytorch/pytorch#157355"
INPUTS = '(torch.randn(2, 5),)'
OTHER_INPUTS = '(torch.randn(2, 7),)'
DYNAMIC_SHAPES = '{"x": {1: Dim("n", min=2, max=15)}}'


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.table = [float(i) for i in range(16)]

    def forward(self, x):
        return x * self.table[x.shape[1]]  # recall: fails
