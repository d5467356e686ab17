"""Weight decay applied in forward, in place on the parameter's .data."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "docs: torch.export programming model (mutations of parameters)"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(8, 4)

    def forward(self, x):
        self.proj.weight.data.mul_(0.5)  # recall: specializes strict, fails non-strict
        return self.proj(x)
