"""Disables autocast for a numerically sensitive part (rotary-embedding style)."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#131829 (rotary-embedding-torch forward under autocast(enabled=False))"


class Model(torch.nn.Module):
    def forward(self, x):
        with torch.autocast("cpu", enabled=False):
            freqs = x.float().softmax(-1)
        return freqs * 2
