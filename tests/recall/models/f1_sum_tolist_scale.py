"""sum() over .tolist() used as a divisor."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.randn(4, 8), torch.tensor([1, 2, 3]))'
OTHER_INPUTS = '(torch.randn(4, 8), torch.tensor([4, 2, 3]))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x, w):
        return x / sum(w.tolist())
