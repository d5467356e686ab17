from exportlint.cases._case import FAILS, Case, Outcome, Variant

_FAILS = (Outcome(FAILS, versions=">=2.13", match="8 not in range [16, 128]", measured_on="2.13.0",
                  note="UserError in strict mode, ConstraintViolationError in non-strict"),)

CASE = Case(
    name="example_outside_dim_range",
    summary="an example of 8 steps for a Dim whose minimum is 16",
    rules=("EXP136",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Any sequence length from 16 on; the example is shorter."""

    def forward(self, x):
        return x.cumsum(dim=1)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The same model; the Dim's range holds the example."""

    def forward(self, x):
        return x.cumsum(dim=1)
''',
    inputs="(torch.randn(2, 8, 4),)",
    other_inputs="(torch.randn(2, 20, 4),)",
    dynamic_shapes='{"x": {1: Dim("t", min=16, max=128)}}',
    fixed_dynamic_shapes='{"x": {1: Dim("t", min=2, max=128)}}',
    bad_outcomes=_FAILS,
    expect_without_site=(),
    variants=(Variant("named", '{"x": {1: Dim("t", min=16, max=128)}}', _FAILS, expect_at_site=("EXP136",)),),
)
