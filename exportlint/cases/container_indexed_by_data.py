from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="container_indexed_by_data",
    summary="a Python list of scales indexed with .item() of a level tensor",
    rules=("EXP116",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Scales the input by the factor its level selects."""

    def __init__(self):
        super().__init__()
        self.scales = [0.5, 1.0, 2.0]

    def forward(self, x, level):
        return x * self.scales[level.item()]  # expect: EXP116
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The table is a buffer; indexing it with the tensor traces."""

    def __init__(self):
        super().__init__()
        self.register_buffer("scales", torch.tensor([0.5, 1.0, 2.0]))

    def forward(self, x, level):
        return x * self.scales.index_select(0, level.reshape(1))
''',
    inputs="(torch.randn(4, 8), torch.tensor(1))",
    other_inputs="(torch.randn(4, 8), torch.tensor(2))",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="UserError",
                match="data-dependent", measured_on="2.13.0"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="data-dependent", measured_on="2.13.0"),
    ),
)
