"""Takes a 'compiler friendly' approximation when compiling: a different function."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#142425 (is_compiling true under export); compile-only fast paths"


class Model(torch.nn.Module):
    def forward(self, x):
        if torch.compiler.is_compiling():  # recall: specializes
            y = torch.nn.functional.gelu(x, approximate="tanh")
        else:
            y = torch.nn.functional.gelu(x)
        return y
