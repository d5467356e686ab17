from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome, Variant

_FAILS = (Outcome(FAILS, versions=">=2.13", error="UserError", match="Constraints violated", measured_on="2.13.0"),)
_EXPORTS = (Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0"),)

CASE = Case(
    name="named_dim_reshape",
    summary="reshape(b, 2, -1) splits a named Dim in two: export cannot prove it even",
    rules=("EXP131",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Pairs of time steps; the flat view keeps the sequence dim whole."""

    def forward(self, x):
        b = x.shape[0]
        pairs = x.reshape(x.shape[0], 2, -1)  # expect: EXP131
        flat = x.view(b, -1)  # merges t into -1: no split
        return pairs.flatten(1) + flat
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The same code; the sequence dim is declared as 2 * Dim("half")."""

    def forward(self, x):
        b = x.shape[0]
        pairs = x.reshape(x.shape[0], 2, -1)
        flat = x.view(b, -1)
        return pairs.flatten(1) + flat
''',
    inputs="(torch.randn(2, 8, 4),)",
    other_inputs="(torch.randn(2, 12, 4),)",
    dynamic_shapes='{"x": {1: Dim("t", max=128)}}',
    fixed_dynamic_shapes='{"x": {1: 2 * Dim("half", max=64)}}',
    bad_outcomes=_FAILS,
    expect_without_site=(),
    variants=(
        Variant("static", None, _EXPORTS),
        Variant("auto", '{"x": {1: Dim.AUTO}}', _EXPORTS, other_inputs="(torch.randn(2, 12, 4),)"),
        Variant("named", '{"x": {1: Dim("t", max=128)}}', _FAILS, expect=("EXP131",)),
    ),
)
