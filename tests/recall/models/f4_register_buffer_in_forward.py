"""Registers its causal mask as a buffer in forward: exports on 2.13 in both modes (clean)."""
import torch
from torch import nn

INPUTS = "(torch.randn(2, 5, 5),)"
OTHER_INPUTS = "(torch.randn(2, 5, 5) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "causal-mask caching via register_buffer in forward (GPT-style models)"


class Model(nn.Module):
    def forward(self, scores):
        n = scores.shape[-1]
        self.register_buffer("mask", torch.tril(torch.ones(n, n, dtype=torch.bool)), persistent=False)
        return scores.masked_fill(~self.mask, float("-inf")).softmax(-1)
