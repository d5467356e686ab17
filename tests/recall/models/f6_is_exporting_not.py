"""Adds a learned-free jitter except when exporting: `if not is_exporting()` changes the output."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#176347 (is_exporting used to switch behaviour)"


class Model(torch.nn.Module):
    def forward(self, x):
        y = x * 2
        if not torch.compiler.is_exporting():  # recall: specializes
            y = y + 1
        return y
