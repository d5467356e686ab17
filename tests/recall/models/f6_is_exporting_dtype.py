"""Returns float32 zeros when exporting, bfloat16 otherwise (is_exporting branch)."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#176347 (is_exporting branch in forward)"


class Model(torch.nn.Module):
    def forward(self, x):
        if torch.compiler.is_exporting():  # recall: specializes
            return torch.zeros_like(x, dtype=torch.float32) + x
        return (torch.zeros_like(x, dtype=torch.bfloat16) + x).float() * 2
