"""resize_as_ on a freshly made tensor to match the input."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch issues: resize_as_ in traced code"


class Model(torch.nn.Module):
    def forward(self, x):
        y = torch.zeros(1)
        y.resize_as_(x)  # recall: fails strict
        y.copy_(x * 2)
        return y
