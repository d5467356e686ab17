"""Picks an expert by name from the argmax of a router (getattr with a data-dependent name)."""
import torch

INPUTS = "(torch.tensor([[0.1, 0.9]]),)"
OTHER_INPUTS = "(torch.tensor([[0.9, 0.1]]),)"
DYNAMIC_SHAPES = None
ORIGIN = "mixture-of-experts dispatch by computed attribute name"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.expert0 = torch.nn.Linear(2, 2)
        self.expert1 = torch.nn.Linear(2, 2)

    def forward(self, x):
        idx = int(x.argmax())
        expert = getattr(self, f"expert{idx}")  # recall: fails
        return expert(x)
