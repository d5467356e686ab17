"""Loop over sorted(.tolist()) values to build slices."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(2, 10), torch.tensor([6, 2]))'
OTHER_INPUTS = '(torch.randn(2, 10), torch.tensor([3, 8]))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, cuts):
        parts = []
        for c in sorted(cuts.tolist()):  # recall: fails
            parts.append(x[:, :c].sum(1))
        return torch.stack(parts, 1)
