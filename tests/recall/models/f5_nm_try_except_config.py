"""try/except KeyError on a Python dict of settings: clean near-miss."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "near-miss: try/except on Python values, not on tensor shapes"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.settings = {"scale": 2.0}

    def forward(self, x):
        try:
            shift = self.settings["shift"]
        except KeyError:
            shift = 0.0
        return x * self.settings["scale"] + shift
