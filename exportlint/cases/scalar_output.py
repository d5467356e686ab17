from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="scalar_output",
    summary="forward returns a Python int computed from a dynamic size",
    exportdb="scalar_output",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Number of sliding windows of width 3 over the sequence."""

    def forward(self, x):
        return x.shape[1] - 3 + 1
''',
    inputs="(torch.randn(2, 7),)",
    other_inputs="(torch.randn(2, 11),)",
    dynamic_shapes='{"x": {1: Dim("seq")}}',
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="the int output is symbolic: another length gives another count"),
    ),
)
