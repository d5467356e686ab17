from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="dynamic_shape_view",
    summary="view() with a shape built from x.size() keeps the dynamic dim symbolic",
    exportdb="dynamic_shape_view",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Splits the last dim into 3 heads of 4 and swaps heads before tokens."""

    def forward(self, x):
        heads = x.size()[:-1] + (3, 4)
        return x.view(*heads).transpose(1, 2)
''',
    inputs="(torch.randn(2, 5, 12),)",
    other_inputs="(torch.randn(2, 9, 12),)",
    dynamic_shapes='{"x": {1: Dim("tokens")}}',
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
