"""Forces as the negative gradient of a learned energy (torch.autograd.grad in forward)."""
import torch

INPUTS = "(torch.randn(4, 3),)"
OTHER_INPUTS = "(torch.randn(4, 3) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#146719 (torch.autograd.grad under torch.export)"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.energy = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))

    def forward(self, pos):
        with torch.enable_grad():
            pos = pos.detach().requires_grad_(True)
            e = self.energy(pos).sum()
            (grad,) = torch.autograd.grad(e, pos, create_graph=False)  # recall: fails
        return -grad
