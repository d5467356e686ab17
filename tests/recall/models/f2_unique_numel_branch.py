"""Branch on the number of unique labels."""

import torch

ORIGIN = "docs: torch.export programming model, data-dependent values"
INPUTS = '(torch.tensor([1, 2, 2, 3]), torch.randn(4))'
OTHER_INPUTS = '(torch.tensor([1, 1, 1, 1]), torch.randn(4))'
DYNAMIC_SHAPES = None


class Model(torch.nn.Module):
    def forward(self, labels, x):
        classes = labels.unique()
        if classes.numel() > 2:  # recall: fails
            return x * 2
        return x
