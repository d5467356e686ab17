"""In-place op on .data of a local tensor made in forward."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "legacy in-place clamping through .data (pre-0.4 idiom) in forward"


class Model(torch.nn.Module):
    def forward(self, x):
        y = x.clone()
        y.data.clamp_(min=0.0)  # recall: specializes strict, fails non-strict
        return y + 1
