from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="cond_predicate",
    summary="a torch.cond predicate built with `and` from the rank and a dynamic size",
    exportdb="cond_predicate",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Long sequences go through exp, short ones through tanh."""

    def forward(self, x):
        is_long = x.dim() == 3 and x.shape[1] >= 8
        return torch.cond(is_long, lambda t: t.exp(), lambda t: t.tanh(), (x,))
''',
    inputs="(torch.randn(2, 9, 4),)",
    other_inputs="(torch.randn(2, 5, 4),)",
    dynamic_shapes='{"x": {1: Dim("seq")}}',
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="the rank test is a constant, the size test symbolic: both branches are kept"),
    ),
)
