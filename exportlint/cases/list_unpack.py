from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="list_unpack",
    summary="star-unpacking a list input is resolved at trace time",
    exportdb="list_unpack",
    bad='''\
from typing import List

import torch


class Model(torch.nn.Module):
    """The first tensor is the base, the rest are a gain and a bias."""

    def forward(self, parts: List[torch.Tensor]):
        base, *rest = parts
        return base * rest[0] + rest[1]
''',
    inputs="([torch.randn(2, 3), torch.tensor(2.0), torch.randn(2, 3)],)",
    other_inputs="([torch.randn(2, 3), torch.tensor(-1.5), torch.randn(2, 3)],)",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
