from exportlint.cases._case import FAILS, SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="optional_input",
    summary="a tensor default in forward's signature is baked in as a constant",
    exportdb="optional_input",
    rules=("EXP202",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Adds a bias that callers may override."""

    def forward(self, x, bias=torch.ones(3)):  # expect: EXP202
        return x + bias
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The bias is a real input of the exported program."""

    def forward(self, x, bias):
        return x + bias
''',
    inputs="(torch.randn(2, 3),)",
    other_inputs="(torch.randn(2, 3), torch.full((3,), 2.0))",
    fixed_inputs="(torch.randn(2, 3), torch.ones(3))",
    fixed_other_inputs="(torch.randn(2, 3), torch.full((3,), 2.0))",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.5,<2.10", modes=(STRICT,), error="UserError",
                match="Tracing through optional input is not supported yet",
                note="from the issue's measurement on 2.7.1"),
        Outcome(SPECIALIZES, modes=(STRICT, NON_STRICT),
                note="the default is a constant; passing bias raises", measured_on="2.13.0, 2.14.1"),
    ),
)
