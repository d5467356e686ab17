from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

# Modelled on transformers' ViLT (modeling_vilt.py visual_embed, failing export at
# line 107 on torch 2.13 in strict, non-strict and Dim.AUTO runs): the patch grid of
# each image is read out of the pixel mask and the position embeddings are resized
# to it with bilinear, align_corners=True interpolation.
CASE = Case(
    name="interpolate_size_from_data",
    summary="bilinear interpolate with align_corners=True to a size read from a mask: the kernel guards the size > 1",
    rules=("EXP137",),
    bad='''\
import torch
import torch.nn.functional as F
from torch import nn


class Model(nn.Module):
    """Resizes a position grid to each image's unmasked height and width."""

    def __init__(self):
        super().__init__()
        self.grid = nn.Parameter(torch.randn(1, 4, 6, 6))

    def forward(self, x, mask):
        heights = mask.long()[:, 0].sum(dim=1)[:, 0]
        widths = mask.long()[:, 0].sum(dim=2)[:, 0]
        resized = [
            F.interpolate(self.grid, size=(h, w), mode="bilinear", align_corners=True).sum(dim=(2, 3))  # expect: EXP137
            for h, w in zip(heights, widths)
        ]
        return x + torch.cat(resized)
''',
    fixed='''\
import torch
import torch.nn.functional as F
from torch import nn


class Model(nn.Module):
    """The sizes are read once and checked: the kernel's guard on them is decided."""

    def __init__(self):
        super().__init__()
        self.grid = nn.Parameter(torch.randn(1, 4, 6, 6))

    def forward(self, x, mask):
        heights = mask.long()[:, 0].sum(dim=1)[:, 0]
        widths = mask.long()[:, 0].sum(dim=2)[:, 0]
        resized = []
        for h, w in zip(heights.tolist(), widths.tolist()):
            torch._check(h > 1)
            torch._check(w > 1)
            resized.append(F.interpolate(self.grid, size=(h, w), mode="bilinear", align_corners=True).sum(dim=(2, 3)))
        return x + torch.cat(resized)
''',
    inputs="(torch.randn(2, 4), torch.ones(2, 1, 6, 6).index_fill_(2, torch.tensor([4, 5]), 0.0))",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="UserError",
                match="Could not guard on data-dependent expression", measured_on="2.13.0"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="Could not guard on data-dependent expression", measured_on="2.13.0"),
    ),
)
