"""A gain that clamps its own parameter through .data on every call (weight clipping)."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#146719 (parameters touched in forward); docs: export programming model"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.gain = torch.nn.Parameter(torch.linspace(-1.0, 1.0, 8))

    def forward(self, x):
        self.gain.data = self.gain.data.clamp(min=0.1)  # recall: specializes strict, fails non-strict
        return x * self.gain
