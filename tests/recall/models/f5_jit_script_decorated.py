"""A module-level @torch.jit.script helper called from forward: exports in both modes on 2.13 (clean)."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "@torch.jit.script fused activations in model zoos; pytorch/pytorch issues on ScriptFunction under export"


@torch.jit.script
def bias_gelu(bias, y):
    x = bias + y
    return x * 0.5 * (1.0 + torch.tanh(0.79788456 * x * (1 + 0.044715 * x * x)))


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bias = torch.nn.Parameter(torch.zeros(8))

    def forward(self, x):
        return bias_gelu(self.bias, x)
