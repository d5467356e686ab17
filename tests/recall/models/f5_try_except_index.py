"""Falls back to the last column when column 10 does not exist (try/except IndexError)."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "docs: torch.export programming model (Python control flow on shapes); try/except fallbacks in user code"


class Model(torch.nn.Module):
    def forward(self, x):
        try:
            col = x[:, 10]  # recall: fails strict
        except IndexError:
            col = x[:, -1]
        return col * 2
