from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="dynamic_shape_map",
    summary="functorch's map() over the leading dim of a dynamic batch",
    exportdb="dynamic_shape_map",
    bad='''\
import torch
from functorch.experimental.control_flow import map


class Model(torch.nn.Module):
    """Applies the same affine step to every row of the batch."""

    def forward(self, rows, bias):
        def step(row, bias):
            return row * 2 - bias

        return map(step, rows, bias)
''',
    inputs="(torch.randn(4, 3), torch.randn(3))",
    other_inputs="(torch.randn(6, 3), torch.randn(3))",
    dynamic_shapes='{"rows": {0: Dim("batch")}, "bias": None}',
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
