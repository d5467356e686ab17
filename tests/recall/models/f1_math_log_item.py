"""Log of a maximum read with .item(), used as a scale."""

import math

import torch

ORIGIN = "pytorch/pytorch#170548"
INPUTS = '(torch.rand(4, 8) + 1,)'
OTHER_INPUTS = '(torch.rand(4, 8) + 3,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        top = x.max().item()
        return x * math.log(top)  # recall: fails
