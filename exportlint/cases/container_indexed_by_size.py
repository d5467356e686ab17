from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="container_indexed_by_size",
    summary="a Python list indexed with a dynamic length: the length is baked in",
    rules=("EXP218",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Scales each sequence by a per-length factor from a table."""

    def __init__(self):
        super().__init__()
        self.table = [1.0 / (i + 1) for i in range(16)]

    def forward(self, x):
        return x * self.table[x.shape[1]]  # expect: EXP218
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The table is a buffer; a tensor comparison picks the entry."""

    def __init__(self):
        super().__init__()
        self.register_buffer("table", 1.0 / (torch.arange(16, dtype=torch.float32) + 1))

    def forward(self, x):
        pick = torch.arange(16) == x.shape[1]
        return x * (self.table * pick).sum()
''',
    inputs="(torch.randn(2, 5),)",
    other_inputs="(torch.randn(2, 7),)",
    dynamic_shapes='{"x": {1: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", measured_on="2.13.0",
                note="Dim.AUTO: accepts only the example's length; a named Dim fails with Constraints violated"),
    ),
)
