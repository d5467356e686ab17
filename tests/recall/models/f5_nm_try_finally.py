"""try/finally with no except: clean near-miss."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "near-miss: try/finally in forward"


class Model(torch.nn.Module):
    def forward(self, x):
        steps = []
        try:
            y = x.relu()
            steps.append(1)
        finally:
            steps.clear()
        return y + 1
