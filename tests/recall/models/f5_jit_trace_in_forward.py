"""Traces its submodule with torch.jit.trace inside forward and calls the trace."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch issues: torch.jit.trace called inside a compiled/exported region"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = torch.nn.Linear(8, 4)

    def forward(self, x):
        traced = torch.jit.trace(self.inner, x)  # recall: fails
        return traced(x)
