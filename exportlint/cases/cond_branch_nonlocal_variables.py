from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="cond_branch_nonlocal_variables",
    summary="values the branches need are passed to torch.cond as operands, not captured",
    exportdb="cond_branch_nonlocal_variables",
    bad='''\
import torch


class Model(torch.nn.Module):
    """A tensor and a Python float computed in forward reach both branches as operands."""

    def forward(self, x):
        offset = x.mean() * 3
        scale = 0.25

        def on_long(x, offset, scale):
            return x * scale + offset

        def on_short(x, offset, scale):
            return x * scale - offset

        return torch.cond(x.shape[0] >= 4, on_long, on_short, (x, offset, torch.tensor(scale)))
''',
    inputs="(torch.randn(5, 2),)",
    other_inputs="(torch.randn(2, 2),)",
    dynamic_shapes='{"x": {0: Dim("rows")}}',
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="the rows are dynamic, so the predicate is symbolic and both branches are kept"),
    ),
)
