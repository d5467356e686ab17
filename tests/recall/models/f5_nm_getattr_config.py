"""getattr on torch.nn.functional with a name from the config: clean near-miss."""
import torch
import torch.nn.functional as F

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "activation chosen by config string (ACT2FN style)"


class Model(torch.nn.Module):
    def __init__(self, act="gelu"):
        super().__init__()
        self.act = act
        self.fc = torch.nn.Linear(8, 8)

    def forward(self, x):
        return getattr(F, self.act)(self.fc(x))
