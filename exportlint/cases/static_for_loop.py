from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="static_for_loop",
    summary="a loop over a constant range is unrolled in the exported graph",
    exportdb="static_for_loop",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Powers 1..4 of the input, stacked."""

    def forward(self, x):
        powers = []
        for k in range(1, 5):
            powers.append(x ** k)
        return torch.stack(powers)
''',
    inputs="(torch.randn(2, 3),)",
    other_inputs="(torch.randn(2, 3) * 2,)",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
