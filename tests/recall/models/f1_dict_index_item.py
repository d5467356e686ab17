"""Look a bias up in a Python dict keyed by .item() of a class id."""

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.randn(4, 8), torch.tensor(3))'
OTHER_INPUTS = '(torch.randn(4, 8), torch.tensor(7))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bias = {3: 0.1, 7: -0.2}

    def forward(self, x, cls):
        return x + self.bias[cls.item()]  # recall: fails
