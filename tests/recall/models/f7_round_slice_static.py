"""round(n / 3) as a slice bound, no dynamic shapes."""

import torch

ORIGIN = "docs: ExportDB dynamic_shape_round; exportlint issue #14"
INPUTS = '(torch.randn(2, 8, 4),)'
OTHER_INPUTS = '(torch.randn(2, 8, 4) * 2,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        n = x.shape[1]
        return x[:, :round(n / 3)]
