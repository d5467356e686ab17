from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="nonzero_size_condition",
    summary="an early return when nonzero() finds nothing: the count is read from the data",
    rules=("EXP115",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Mean of the positive entries, or zero when there are none."""

    def forward(self, x):
        idx = torch.nonzero(x > 0)
        if idx.shape[0] == 0:  # expect: EXP115
            return x.new_zeros(())
        return x[idx[:, 0], idx[:, 1]].mean()
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """A masked mean: no size depends on the data."""

    def forward(self, x):
        positive = x > 0
        count = positive.sum()
        total = torch.where(positive, x, torch.zeros_like(x)).sum()
        return torch.where(count > 0, total / count.clamp(min=1), torch.zeros_like(total))
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) - 9,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="UserError",
                match="Could not guard on data-dependent expression", measured_on="2.13.0"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="Could not guard on data-dependent expression", measured_on="2.13.0"),
    ),
)
