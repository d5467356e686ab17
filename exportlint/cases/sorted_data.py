from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="sorted_data",
    summary="columns gathered in an order sorted in Python from .tolist()",
    rules=("EXP117",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Gathers the requested columns in ascending order."""

    def forward(self, x, idx):
        order = sorted(idx.tolist())  # expect: EXP117
        return x[:, order]
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The index tensor is sorted with a tensor op."""

    def forward(self, x, idx):
        return x[:, torch.sort(idx).values]
''',
    inputs="(torch.randn(4, 8), torch.tensor([5, 1, 3]))",
    other_inputs="(torch.randn(4, 8), torch.tensor([2, 7, 0]))",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported", measured_on="2.13.0"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="data-dependent", measured_on="2.13.0"),
    ),
)
