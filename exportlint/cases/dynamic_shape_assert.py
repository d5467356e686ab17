from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="dynamic_shape_assert",
    summary="Python asserts on sizes (with and without a message), consistent with the Dim's range",
    exportdb="dynamic_shape_assert",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Needs at least three rows and two columns."""

    def forward(self, x):
        assert x.shape[0] > 2, f"need more than 2 rows, got {x.shape[0]}"
        assert x.shape[1] >= 2
        return x * 2 - x.mean(dim=0)
''',
    inputs="(torch.randn(4, 2),)",
    other_inputs="(torch.randn(7, 2),)",
    dynamic_shapes='{"x": {0: Dim("rows", min=3)}}',
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note='with Dim("rows") left at min 0 both modes fail: Constraints violated, suggested min=3'),
    ),
)
