"""Running mean kept in a buffer and updated through .data.copy_()."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) + 2,)"
DYNAMIC_SHAPES = None
ORIGIN = "docs: torch.export programming model (buffer mutation)"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("running", torch.zeros(8))

    def forward(self, x):
        self.running.data.copy_(0.9 * self.running + 0.1 * x.mean(0))  # recall: specializes strict, fails non-strict
        return x - self.running
