from exportlint.cases._case import EXPORTS, FAILS, SPECIALIZES, Case, Outcome, Variant

CASE = Case(
    name="tiny_example_dim",
    summary="an example of size 1 on a dim declared dynamic: export fixes the dim",
    rules=("EXP134",),
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
    dynamic_shapes='{"x": {1: Dim("t", max=128)}}',
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", error="UserError", match="specialized it to be a constant (1)",
                measured_on="2.13.0"),
    ),
    expect_without_site=(),
    variants=(
        Variant("static", None, (Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0"),)),
        Variant("auto", '{"x": {1: Dim.AUTO}}',
                (Outcome(SPECIALIZES, versions=">=2.13", note="accepts only one time step", measured_on="2.13.0"),),
                other_inputs="(torch.randn(2, 10, 4),)", expect_at_site=("EXP234",)),
        Variant("dynamic", '{"x": {1: Dim.DYNAMIC}}',
                (Outcome(FAILS, versions=">=2.13", error="ValueError", match="conflicts between user-specified ranges",
                         measured_on="2.13.0"),), expect_at_site=("EXP134",)),
        Variant("named", '{"x": {1: Dim("t", max=128)}}',
                (Outcome(FAILS, versions=">=2.13", error="UserError", match="specialized it to be a constant (1)",
                         measured_on="2.13.0"),), expect_at_site=("EXP134",)),
    ),
)
