"""torch.tensor of .item() values."""

import torch

ORIGIN = "pytorch/pytorch#135618"
INPUTS = '(torch.randn(4, 8),)'
OTHER_INPUTS = '(torch.randn(4, 8) * 2,)'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, x):
        stats = torch.tensor([x.max().item(), x.min().item()])
        return x - stats[0] + stats[1]
