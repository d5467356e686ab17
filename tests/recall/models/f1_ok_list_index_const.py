"""A Python list of scales indexed with a constant."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scales = [0.5, 1.0, 2.0]
        self.level = 2

    def forward(self, x):
        return x * self.scales[self.level] + self.scales[0]
