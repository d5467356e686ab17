"""Builds an in-file block class inside forward."""
import torch  # noqa: F401  (INPUTS are evaluated with torch in scope)
from torch import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        return self.fc(x).relu()


INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "submodule instantiated per call (user code ported from functional style)"


class Model(nn.Module):
    def forward(self, x):
        block = Block()  # recall: fails strict, specializes non-strict
        return block(x)
