"""round() of a value read with .item()."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 8), torch.tensor(2.4))'
OTHER_INPUTS = '(torch.randn(4, 8), torch.tensor(3.6))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, s):
        return x * round(s.item())
