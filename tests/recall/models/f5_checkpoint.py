"""Activation checkpointing of a block in forward (use_reentrant=False)."""
import torch
from torch.utils.checkpoint import checkpoint

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#161479 (activation checkpoint HOP under export)"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.block = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.GELU())

    def forward(self, x):
        return checkpoint(self.block, x, use_reentrant=False)  # recall: fails strict
