"""Old-style torch._dynamo.is_compiling() guarding a different scaling."""
import torch
import torch._dynamo

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "torch._dynamo.is_compiling() branches in model code (pre-2.3 spelling)"


class Model(torch.nn.Module):
    def forward(self, x):
        scale = 1.0 if torch._dynamo.is_compiling() else 0.5  # recall: specializes
        return x * scale
