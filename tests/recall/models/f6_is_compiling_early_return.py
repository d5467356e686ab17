"""Early return of a simpler spelling under is_compiling(): numerically the same function (clean)."""
import torch
from torch.compiler import is_compiling

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "compile-only shortcuts (from torch.compiler import is_compiling)"


class Model(torch.nn.Module):
    def forward(self, x):
        if is_compiling():
            return x.softmax(-1)
        m = x.max(-1, keepdim=True).values
        e = (x - m).exp()
        return e / e.sum(-1, keepdim=True) * 0.5 + 0.5 * x.softmax(-1) + 0.0 * m
