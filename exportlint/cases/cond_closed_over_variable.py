from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="cond_closed_over_variable",
    summary="torch.cond branches that close over forward's tensors; the predicate is a tensor input",
    exportdb="cond_closed_over_variable",
    bad='''\
import torch


class Model(torch.nn.Module):
    """A boolean tensor picks which of two closed-over inputs to combine."""

    def forward(self, flag, a, b):
        def use_a(diff):
            return a * diff

        def use_b(diff):
            return b + diff

        return torch.cond(flag, use_a, use_b, (a - b,))
''',
    inputs="(torch.tensor(True), torch.randn(2, 3), torch.randn(2, 3))",
    other_inputs="(torch.tensor(False), torch.randn(2, 3), torch.randn(2, 3))",
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="other inputs flip the predicate: both branches are in the program"),
    ),
)
