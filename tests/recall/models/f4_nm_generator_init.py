"""Seeding done once, outside forward; forward draws nothing: clean."""
import torch

torch.manual_seed(0)

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "near-miss of manual_seed in forward: seeding at module level"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(1)
        self.w = torch.nn.Parameter(torch.randn(8))

    def forward(self, x):
        return x * self.w
