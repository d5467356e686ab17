"""torch.fx is_fx_tracing() guards a symbolic-trace path: True under non-strict export, False under strict."""
import torch
from torch.fx._symbolic_trace import is_fx_tracing

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "is_fx_tracing() guards (torchvision ops); pytorch/pytorch#142425 (flag scopes)"


class Model(torch.nn.Module):
    def forward(self, x):
        if is_fx_tracing():  # recall: specializes non-strict
            return x * 0.0
        return x * 2
