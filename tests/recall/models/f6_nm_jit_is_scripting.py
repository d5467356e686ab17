"""is_scripting() picks a TorchScript-friendly spelling of the same computation: clean."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "torchvision-style `if not torch.jit.is_scripting()` guards"


class Model(torch.nn.Module):
    def forward(self, x):
        if torch.jit.is_scripting():
            return torch.relu(x) + 1
        return x.relu() + 1
