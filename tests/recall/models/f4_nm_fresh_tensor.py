"""A plain tensor made in forward (not a Parameter), with a resize-free reshape: clean."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "near-miss of new_parameter / resize_"


class Model(torch.nn.Module):
    def forward(self, x):
        scale = torch.ones(x.shape[-1])
        out = x.new_zeros(x.shape[0], 4)
        out = out.reshape(x.shape[0], 2, 2)
        return (x * scale)[:, :4] + out.flatten(1)
