from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="static_if",
    summary="an if on the input's rank (static) is traced through the taken branch",
    exportdb="static_if",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Batched inputs get a per-sample bias; others pass through."""

    def forward(self, x):
        if x.dim() == 3:
            return x + torch.arange(x.shape[-1], dtype=x.dtype)
        return x
''',
    inputs="(torch.randn(2, 3, 4),)",
    other_inputs="(torch.randn(2, 3, 4) * 5,)",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
