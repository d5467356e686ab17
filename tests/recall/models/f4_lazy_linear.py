"""LazyLinear in __init__, exported straight after construction (no dry run)."""
import torch  # noqa: F401  (INPUTS are evaluated with torch in scope)
from torch import nn

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#150404 (LazyModuleMixin docs example); docs: torch.nn.LazyLinear"


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.LazyLinear(4)  # recall: fails non-strict

    def forward(self, x):
        return self.fc(x).relu()
