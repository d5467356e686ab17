"""if pad > 0 on size arithmetic, Dim.AUTO."""

import torch

ORIGIN = "docs: ExportDB dynamic_shape_round; exportlint issue #14"
INPUTS = '(torch.randn(2, 8, 4),)'
OTHER_INPUTS = '(torch.randn(2, 10, 4),)'
DYNAMIC_SHAPES = '{"x": {1: Dim.AUTO}}'


class Model(torch.nn.Module):
    def forward(self, x):
        n = x.shape[1]
        pad = (4 - n % 4) % 4
        return torch.nn.functional.pad(x, (0, 0, 0, pad)) if pad > 0 else x  # recall: specializes
