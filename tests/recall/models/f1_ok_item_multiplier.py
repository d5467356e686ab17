""".item() kept as a Python scalar multiplier."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 8), torch.tensor(0.5))'
OTHER_INPUTS = '(torch.randn(4, 8), torch.tensor(2.0))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, s):
        return x * s.item()
