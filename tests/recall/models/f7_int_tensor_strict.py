"""int() of a 0-d tensor input used as a multiplier."""

import torch

ORIGIN = "docs: torch.export programming model"
INPUTS = '(torch.randn(4, 8), torch.tensor(3))'
OTHER_INPUTS = '(torch.randn(4, 8), torch.tensor(5))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, k):
        return x * int(k)  # recall: fails non-strict
