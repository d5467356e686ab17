from exportlint.cases._case import SPECIALIZES, Case, Outcome, Variant

_SPECIALIZES = (Outcome(SPECIALIZES, versions=">=2.13", note='rejects scale=3.0: "Guard failed: scale == 2.0"',
                        measured_on="2.13.0"),)

CASE = Case(
    name="python_value_example_input",
    summary="a Python float as an example input: export bakes it in",
    rules=("EXP235",),
    bad='''\
import torch


class Model(torch.nn.Module):
    def forward(self, x, scale):
        return x * scale
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    def forward(self, x, scale):
        return x * scale
''',
    inputs="(torch.randn(2, 4), 2.0)",
    other_inputs="(torch.randn(2, 4), 3.0)",
    fixed_inputs="(torch.randn(2, 4), torch.tensor(2.0))",
    fixed_other_inputs="(torch.randn(2, 4), torch.tensor(3.0))",
    bad_outcomes=_SPECIALIZES,
    expect_without_site=(),
    variants=(Variant("static", None, _SPECIALIZES, other_inputs="(torch.randn(2, 4), 3.0)",
                      expect_at_site=("EXP235",)),),
)
