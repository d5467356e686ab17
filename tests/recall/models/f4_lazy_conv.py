"""LazyConv2d + LazyBatchNorm2d, exported before any call."""
import torch  # noqa: F401  (INPUTS are evaluated with torch in scope)
from torch import nn

INPUTS = "(torch.randn(2, 3, 8, 8),)"
OTHER_INPUTS = "(torch.randn(2, 3, 8, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "docs: torch.nn.LazyConv2d; LazyMLP example of pytorch/pytorch#150404"


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.LazyConv2d(4, 3, padding=1)  # recall: fails non-strict
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        return self.pool(self.conv(x)).flatten(1)
