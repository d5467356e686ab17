"""torch.tensor of Python constants."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 3),)'
OTHER_INPUTS = '(torch.randn(4, 3),)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        mean = torch.tensor([0.485, 0.456, 0.406])
        return x - mean
