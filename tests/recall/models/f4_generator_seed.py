"""A torch.Generator seeded in forward and passed to randn."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#156811 (seeded random tensors in exported models)"


class Model(torch.nn.Module):
    def forward(self, x):
        g = torch.Generator().manual_seed(1234)  # recall: fails strict, specializes non-strict
        return x + 0.1 * torch.randn(x.shape, generator=g)
