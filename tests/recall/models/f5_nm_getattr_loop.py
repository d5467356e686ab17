"""getattr(self, f"layer{i}") over a constant range: clean near-miss."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "numbered-layer models (layer0, layer1, ...) iterated by name"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        for i in range(3):
            setattr(self, f"layer{i}", torch.nn.Linear(8, 8))

    def forward(self, x):
        for i in range(3):
            x = getattr(self, f"layer{i}")(x).relu()
        return x
