"""Wraps a freshly made tensor in nn.Parameter inside forward."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "docs: torch.export troubleshooting (Attempted to use torch.nn.Parameter())"


class Model(torch.nn.Module):
    def forward(self, x):
        scale = torch.nn.Parameter(torch.ones(x.shape[-1]))  # recall: fails strict
        return x * scale
