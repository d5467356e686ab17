from torch import nn

from .layer import Layer


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = Layer()

    def forward(self, hidden, mask):
        is_global = mask.any().item()
        return self.layer(hidden, is_global=is_global)
