"""Bilinear, align_corners=True resize to a height read with .tolist() from a mask (ViLT's patch grid)."""

import torch
import torch.nn.functional as F
from torch import nn

ORIGIN = "transformers ViLT visual_embed (modeling_vilt.py:107 fails export on torch 2.13)"
INPUTS = "(torch.randn(2, 4), torch.ones(2, 1, 6, 6).index_fill_(2, torch.tensor([4, 5]), 0.0))"
OTHER_INPUTS = "(torch.randn(2, 4), torch.ones(2, 1, 6, 6).index_fill_(2, torch.tensor([5]), 0.0))"
DYNAMIC_SHAPES = None


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.grid = nn.Parameter(torch.randn(1, 4, 6, 6))

    def forward(self, x, mask):
        out = []
        for h in mask.long()[:, 0].sum(dim=1)[:, 0].tolist():
            resized = F.interpolate(self.grid, size=(h, 6), mode="bilinear", align_corners=True)  # recall: fails
            out.append(resized.sum(dim=(2, 3)))
        return x + torch.cat(out)
