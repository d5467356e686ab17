"""Skips an eager-only input check when compiling: both paths compute the same: clean."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "`if not torch.compiler.is_compiling(): check(...)` guards (transformers, timm)"


class Model(torch.nn.Module):
    def forward(self, x):
        if not torch.compiler.is_compiling():
            if x.dim() != 2:
                raise ValueError("expected a 2-d input")
        return x.relu()
