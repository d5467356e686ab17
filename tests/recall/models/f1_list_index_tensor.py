"""Pick a Python scale from a list with a 0-d index tensor."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 8), torch.tensor(1))'
OTHER_INPUTS = '(torch.randn(4, 8), torch.tensor(2))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scales = [0.5, 1.0, 2.0]

    def forward(self, x, level):
        return x * self.scales[level]  # recall: fails
