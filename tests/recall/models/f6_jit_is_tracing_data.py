"""A jit-trace friendly branch under is_tracing(); export takes the other (data-dependent) one."""
import torch

INPUTS = "(torch.tensor([3, 1, 2]),)"
OTHER_INPUTS = "(torch.tensor([5, 1, 2]),)"
DYNAMIC_SHAPES = None
ORIGIN = "torch.jit.is_tracing() guards in detection/vision code; docs: torch.export vs jit.trace"


class Model(torch.nn.Module):
    def forward(self, x):
        if torch.jit.is_tracing():
            n = 4
        else:
            n = int(x.max())  # recall: fails non-strict
        return torch.zeros(n)
