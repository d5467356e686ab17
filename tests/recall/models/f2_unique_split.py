"""Split a tensor by per-class counts from unique(return_counts=True)."""

import torch

ORIGIN = "pytorch/pytorch#126685"
INPUTS = '(torch.tensor([0, 0, 1, 2, 2, 2]), torch.randn(6, 3))'
OTHER_INPUTS = '(torch.tensor([0, 1, 1, 1, 2, 2]), torch.randn(6, 3))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, labels, x):
        _, counts = labels.unique(return_counts=True)
        parts = torch.split(x, counts.tolist())  # recall: fails
        return torch.stack([p.sum(0) for p in parts])
