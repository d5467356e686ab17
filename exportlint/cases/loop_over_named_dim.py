from exportlint.cases._case import EXPORTS, FAILS, SPECIALIZES, Case, Outcome, Variant

_FAILS = (Outcome(FAILS, versions=">=2.13", error="UserError", match="specialized it to be a constant",
                  measured_on="2.13.0"),)

CASE = Case(
    name="loop_over_named_dim",
    summary="a Python loop over a dim declared dynamic unrolls it to the example's length",
    rules=("EXP133",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Running sum over time, one step at a time."""

    def forward(self, x):
        total = x[:, 0] * 0
        for i in range(x.shape[1]):  # expect: EXP133, EXP211
            total = total + x[:, i]
        return total
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Vectorised over time."""

    def forward(self, x):
        return x.sum(dim=1)
''',
    inputs="(torch.randn(2, 8, 4),)",
    other_inputs="(torch.randn(2, 10, 4),)",
    dynamic_shapes='{"x": {1: Dim("t", max=128)}}',
    bad_outcomes=_FAILS,
    expect_without_site=("EXP211",),
    variants=(
        Variant("static", None, (Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0"),)),
        Variant("auto", '{"x": {1: Dim.AUTO}}',
                (Outcome(SPECIALIZES, versions=">=2.13", note="accepts only the traced length",
                         measured_on="2.13.0"),),
                expect=("EXP211",), other_inputs="(torch.randn(2, 10, 4),)"),
        Variant("named", '{"x": {1: Dim("t", max=128)}}', _FAILS, expect=("EXP133",)),
    ),
)
