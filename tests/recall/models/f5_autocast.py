"""Runs the projection under CPU bfloat16 autocast."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#153202 (export + autocast); pytorch/pytorch#137495"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        with torch.autocast("cpu", dtype=torch.bfloat16):  # recall: specializes strict
            y = self.fc(x)
        return y.float()
