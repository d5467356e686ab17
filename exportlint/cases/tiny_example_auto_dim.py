from exportlint.cases._case import SPECIALIZES, Case, Outcome, Variant

_SPECIALIZES = (Outcome(SPECIALIZES, versions=">=2.13", note="accepts only one time step", measured_on="2.13.0"),)

CASE = Case(
    name="tiny_example_auto_dim",
    summary="an example of size 1 on a Dim.AUTO dim: export silently fixes the dim to 1",
    rules=("EXP234",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Any sequence length; the example has one time step."""

    def forward(self, x):
        return x.cumsum(dim=1)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The same model; the example has eight time steps."""

    def forward(self, x):
        return x.cumsum(dim=1)
''',
    inputs="(torch.randn(2, 1, 4),)",
    fixed_inputs="(torch.randn(2, 8, 4),)",
    other_inputs="(torch.randn(2, 10, 4),)",
    dynamic_shapes='{"x": {1: Dim.AUTO}}',
    bad_outcomes=_SPECIALIZES,
    expect_without_site=(),
    variants=(
        Variant("auto", '{"x": {1: Dim.AUTO}}', _SPECIALIZES, other_inputs="(torch.randn(2, 10, 4),)",
                expect_at_site=("EXP234",)),
    ),
)
