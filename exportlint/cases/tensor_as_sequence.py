from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="tensor_as_sequence",
    summary="a for loop over a tensor with a dynamic first dim is unrolled for the example's length",
    rules=("EXP219",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Weights each row by its own sum, one row at a time."""

    def forward(self, x: torch.Tensor):
        rows = []
        for row in x:  # expect: EXP219
            rows.append(row * row.sum())
        return torch.stack(rows)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The same, batched over the first dim."""

    def forward(self, x):
        return x * x.sum(dim=1, keepdim=True)
''',
    inputs="(torch.randn(5, 4),)",
    other_inputs="(torch.randn(7, 4),)",
    dynamic_shapes='{"x": {0: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", measured_on="2.13.0",
                note="Dim.AUTO: accepts only the example's length; a named Dim fails with Constraints violated"),
    ),
)
