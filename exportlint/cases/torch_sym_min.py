from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import STRICT

CASE = Case(
    name="torch_sym_min",
    summary="torch.sym_min on a size (ExportDB's name before 2.5 for unsupported_operator)",
    exportdb="torch_sym_min",
    rules=("EXP102",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Averages over at most the first 4 rows."""

    def forward(self, x):
        rows = torch.sym_min(x.size(0), 4)  # expect: EXP102
        return x[:rows].sum(dim=0) / rows
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The builtin min() of a size traces in every release."""

    def forward(self, x):
        rows = min(x.size(0), 4)
        return x[:rows].sum(dim=0) / rows
''',
    inputs="(torch.randn(3, 2),)",
    other_inputs="(torch.randn(3, 2) * 2,)",
    bad_outcomes=(
        Outcome(FAILS, versions="<2.8", modes=(STRICT,), error="Unsupported",
                match="torch.* op returned non-Tensor",
                note="as recorded in unsupported_operator: the issue's strict measurement on 2.7.1, where that "
                "ExportDB example is torch.sym_min"),
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),
    ),
)
