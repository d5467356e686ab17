"""Checkpointing only when training (HF gradient_checkpointing style): clean in eval."""
import torch
from torch.utils.checkpoint import checkpoint

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "transformers gradient_checkpointing pattern (if self.gradient_checkpointing and self.training)"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.block = torch.nn.Linear(8, 8)
        self.gradient_checkpointing = True
        self.eval()

    def forward(self, x):
        if self.gradient_checkpointing and self.training:
            return checkpoint(self.block, x, use_reentrant=False)
        return self.block(x)
