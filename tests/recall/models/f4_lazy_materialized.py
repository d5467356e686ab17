"""LazyLinear with a dry run in __init__: materialised before export (clean)."""
import torch
from torch import nn

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "docs: LazyModuleMixin (dry run initialises lazy modules)"


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.LazyLinear(4)
        self.fc(torch.zeros(1, 8))

    def forward(self, x):
        return self.fc(x).relu()
