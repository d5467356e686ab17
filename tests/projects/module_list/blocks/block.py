from torch import nn


class Block(nn.Module):
    def forward(self, x, keep):
        if keep > 0:  # expect: EXP104
            return x
        return -x
