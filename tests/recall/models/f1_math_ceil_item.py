"""Ceil of a count read with .item(), used as a multiplier."""

import math

import torch

ORIGIN = "docs: torch.export draft_export / data-dependent errors"
INPUTS = '(torch.tensor([1.5, 2.0]), torch.randn(3))'
OTHER_INPUTS = '(torch.tensor([2.5, 2.0]), torch.randn(3))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, w, x):
        steps = math.ceil(w.sum().item())
        return x * steps
