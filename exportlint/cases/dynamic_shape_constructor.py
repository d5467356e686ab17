from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="dynamic_shape_constructor",
    summary="a tensor constructor sized from a dynamic dim keeps the size symbolic",
    exportdb="dynamic_shape_constructor",
    bad='''\
import torch


class Model(torch.nn.Module):
    """A padding row block sized one more than the batch."""

    def forward(self, x):
        return torch.full((x.shape[0] + 1, 2), 0.5)
''',
    inputs="(torch.randn(4, 3),)",
    other_inputs="(torch.randn(7, 3),)",
    dynamic_shapes='{"x": {0: Dim("batch")}}',
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
