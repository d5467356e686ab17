"""view() when the layout allows it, reshape() otherwise (try/except RuntimeError)."""
import torch

INPUTS = "(torch.randn(8, 4).t(),)"
OTHER_INPUTS = "(torch.randn(4, 8),)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch issues: try view / except reshape fallbacks under export"


class Model(torch.nn.Module):
    def forward(self, x):
        try:
            y = x.view(-1)  # recall: fails
        except RuntimeError:
            y = x.reshape(-1)
        return y * 2
