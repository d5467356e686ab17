from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="cond_operands",
    summary="torch.cond operands: a tuple of tensors matching the branches' parameters",
    exportdb="cond_operands",
    bad='''\
import torch


class Model(torch.nn.Module):
    """More than three rows: scale by the row vector; otherwise add its sum."""

    def forward(self, a, b):
        def many_rows(a, b):
            return a * b

        def few_rows(a, b):
            return a + b.sum()

        return torch.cond(a.shape[0] > 3, many_rows, few_rows, (a, b))
''',
    inputs="(torch.randn(5, 3), torch.randn(3))",
    other_inputs="(torch.randn(2, 3), torch.randn(3))",
    dynamic_shapes='{"a": {0: Dim("rows")}, "b": None}',
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
