"""Reads a parameter through .data (no write) in forward."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "older model code reading weight.data in forward"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(8, 4)

    def forward(self, x):
        w = self.proj.weight.data  # recall: specializes strict, fails non-strict
        return x @ w.t()
