from exportlint.cases._case import EXPORTS, FAILS, SPECIALIZES, Case, Outcome, Variant

_FAILS = (Outcome(FAILS, versions=">=2.13", error="UserError", match="specialized it to be a constant",
                  measured_on="2.13.0"),)

CASE = Case(
    name="branch_on_named_dim",
    summary="if x.shape[1] == 8 on a dim declared dynamic: export must fix the dim to 8",
    rules=("EXP132",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """A special case for sequences of 8; the channel check is on a static dim."""

    def forward(self, x):
        if x.shape[2] == 4:  # static: decided once, nothing guarded
            x = x + 1
        if x.shape[1] == 8:  # expect: EXP132, EXP212
            return x * 2
        return x
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Both cases in the graph: torch.where on a tensor of the size."""

    def forward(self, x):
        x = x + 1
        n = torch.full((), x.shape[1])
        return torch.where(n == 8, x * 2, x)
''',
    inputs="(torch.randn(2, 8, 4),)",
    other_inputs="(torch.randn(2, 10, 4),)",
    dynamic_shapes='{"x": {1: Dim("t", max=128)}}',
    bad_outcomes=_FAILS,
    expect_without_site=(),
    variants=(
        Variant("static", None, (Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0"),)),
        Variant("auto", '{"x": {1: Dim.AUTO}}',
                (Outcome(SPECIALIZES, versions=">=2.13", note="rejects sequences other than 8",
                         measured_on="2.13.0"),),
                expect=("EXP212",), other_inputs="(torch.randn(2, 10, 4),)"),
        Variant("dynamic", '{"x": {1: Dim.DYNAMIC}}', _FAILS, expect=("EXP132",)),
        Variant("named", '{"x": {1: Dim("t", max=128)}}', _FAILS, expect=("EXP132",)),
    ),
)
