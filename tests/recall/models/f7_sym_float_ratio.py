"""n / 3 (true division) used as a float scale."""

import torch

ORIGIN = "docs: ExportDB dynamic_shape_round; exportlint issue #14"
INPUTS = '(torch.randn(2, 8, 4),)'
OTHER_INPUTS = '(torch.randn(2, 12, 4),)'
DYNAMIC_SHAPES = '{"x": {1: Dim("seq")}}'


class Model(torch.nn.Module):
    def forward(self, x):
        n = x.shape[1]
        return x * (n / 3)
