from torch import nn

from .utils import any_set, width


def count(mask):
    return int(mask.sum())  # expect: EXP107


class Model(nn.Module):
    def forward(self, x, mask):
        if any_set(mask):  # expect: EXP104
            x = x + 1
        if count(mask) > 2:  # expect: EXP104
            x = x * 2
        return x[..., : width(x)]
