"""Allocates an empty buffer and resizes it to the batch: resize_ in forward."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch issues: resize_ not supported in export/functionalization"


class Model(torch.nn.Module):
    def forward(self, x):
        out = x.new_empty(0)
        out.resize_(x.shape[0], 4)  # recall: fails strict
        out.fill_(1.0)
        return x[:, :4] + out
