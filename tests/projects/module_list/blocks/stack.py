from torch import nn

from .block import Block


class Stack(nn.Module):
    def __init__(self, depth):
        super().__init__()
        self.layers = nn.ModuleList([Block() for _ in range(depth)])

    def forward(self, x):
        keep = x.sum().item()
        for layer in self.layers:
            x = layer(x, keep)
        return x
