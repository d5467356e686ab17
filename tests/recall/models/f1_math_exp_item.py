"""exp of a learned temperature read with .item()."""

import math

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 8), torch.tensor(0.5))'
OTHER_INPUTS = '(torch.randn(4, 8), torch.tensor(1.5))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, log_t):
        return x * math.exp(log_t.item())  # recall: fails
