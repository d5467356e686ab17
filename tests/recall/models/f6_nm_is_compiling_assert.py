"""An assert kept out of compiled code: clean."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "`if not is_compiling(): assert ...` (diffusers-style checks)"


class Model(torch.nn.Module):
    def forward(self, x):
        if not torch.compiler.is_compiling():
            assert x.shape[-1] == 8, "width"
        return x - 1
