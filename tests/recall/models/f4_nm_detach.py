"""The modern spelling: detach() instead of .data, and a .data attribute of a non-tensor: clean."""
import torch


class Batch:
    def __init__(self, data):
        self.data = data


INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "near-miss of the .data family"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(8, 4)

    def forward(self, x):
        batch = Batch(x)
        w = self.proj.weight.detach()
        return batch.data @ w.t()
