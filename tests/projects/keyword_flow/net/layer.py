from torch import nn

from .attention import Attention


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = Attention()

    def forward(self, hidden, is_global=None):
        return self.attention(hidden, is_global=is_global)
