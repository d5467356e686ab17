"""Scripts a helper inside forward and calls the ScriptFunction."""
import torch


def _gelu_approx(x):
    return 0.5 * x * (1.0 + torch.tanh(0.79788456 * (x + 0.044715 * x * x * x)))


INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch issues: torch.jit.script inside torch.export / torch.compile"


class Model(torch.nn.Module):
    def forward(self, x):
        fn = torch.jit.script(_gelu_approx)  # recall: fails strict
        return fn(x)
