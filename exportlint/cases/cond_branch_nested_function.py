from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="cond_branch_nested_function",
    summary="torch.cond branches that are nested functions calling their own inner closures",
    exportdb="cond_branch_nested_function",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Narrow inputs are grown, wide ones shrunk, each via an inner helper."""

    def forward(self, x):
        def grow(v):
            def inner(w):
                return v * w + 1
            return inner(v)

        def shrink(v):
            def inner(w):
                return v - w.abs()
            return inner(v)

        return torch.cond(x.shape[1] < 5, grow, shrink, (x,))
''',
    inputs="(torch.randn(2, 3),)",
    other_inputs="(torch.randn(2, 7),)",
    dynamic_shapes='{"x": {1: Dim("width")}}',
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="the width is dynamic, so the predicate is symbolic and both branches are kept"),
    ),
)
