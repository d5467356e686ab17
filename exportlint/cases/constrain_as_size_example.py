from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="constrain_as_size_example",
    summary="a size read with .item() and bounded with torch._check builds a tensor",
    exportdb="constrain_as_size_example",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Running row counts for a data-dependent number of rows."""

    def forward(self, rows):
        n = rows.item()
        torch._check(n >= 1)
        torch._check(n <= 8)
        return torch.ones(n, 3).cumsum(0)
''',
    inputs="(torch.tensor(5),)",
    other_inputs="(torch.tensor(2),)",
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="the size is unbacked: other values give other output shapes"),
    ),
)
