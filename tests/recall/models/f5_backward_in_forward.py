"""Calls .backward() inside forward to read an input gradient (saliency)."""
import torch

INPUTS = "(torch.randn(4, 3),)"
OTHER_INPUTS = "(torch.randn(4, 3) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "saliency maps computed in forward; pytorch/pytorch issues on backward under export"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Linear(3, 1)

    def forward(self, x):
        with torch.enable_grad():
            x = x.detach().requires_grad_(True)
            self.net(x).sum().backward()  # recall: fails
        return x.grad
