"""Picks a projection by the input width: getattr(self, f"proj{width}") on a dynamic dim."""
import torch

INPUTS = "(torch.randn(2, 4),)"
OTHER_INPUTS = "(torch.randn(2, 8),)"
DYNAMIC_SHAPES = '{"x": {1: Dim.AUTO}}'
ORIGIN = "per-resolution heads chosen by name; docs: export programming model (specialisation on sizes)"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.proj4 = torch.nn.Linear(4, 3)
        self.proj8 = torch.nn.Linear(8, 3)

    def forward(self, x):
        head = getattr(self, f"proj{x.shape[1]}")  # recall: specializes strict, fails non-strict
        return head(x)
