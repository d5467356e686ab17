"""Splits into heads, falling back to one head when the width does not divide (dynamic width)."""
import torch

INPUTS = "(torch.randn(2, 8),)"
OTHER_INPUTS = "(torch.randn(2, 6),)"
DYNAMIC_SHAPES = '{"x": {1: Dim.AUTO}}'
ORIGIN = "docs: torch.export troubleshooting (guards on dynamic dims); try/except around shape errors"


class Model(torch.nn.Module):
    def forward(self, x):
        try:
            heads = x.view(x.shape[0], 4, -1)  # recall: specializes
        except RuntimeError:
            heads = x.unsqueeze(1)
        return heads.sum(-1)
