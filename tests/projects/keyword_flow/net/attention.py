from torch import nn


class Attention(nn.Module):
    def forward(self, hidden, is_global=None):
        if is_global:  # expect: EXP104
            return hidden * 2
        return hidden
