from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="dynamic_shape_slicing",
    summary="slice bounds computed from dynamic sizes are kept symbolic",
    exportdb="dynamic_shape_slicing",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Drops the last row and the border columns, keeping every other one."""

    def forward(self, x):
        return x[: x.shape[0] - 1, 1 : x.shape[1] - 1 : 2]
''',
    inputs="(torch.randn(5, 8),)",
    other_inputs="(torch.randn(3, 12),)",
    dynamic_shapes='{"x": {0: Dim("rows", min=3, max=64), 1: Dim("cols", min=5, max=64)}}',
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note=("with these bounds; non-strict fails (Constraints violated) for rows < 3 (guard rows - 1 != 1) "
                      "or cols < 5 (guard (cols - 1) // 2 != 1), strict does not")),
    ),
)
