from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome, Variant

CASE = Case(
    name="named_dim_division",
    summary="n // 2 of a dim declared as a named Dim: export cannot prove n even",
    rules=("EXP130",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """First half of each sequence, rotated by half of the (static) head dim."""

    def forward(self, tokens):
        keep = tokens.shape[1] // 2  # expect: EXP130
        half = tokens.shape[-1] // 2  # the head dim is static: a constant
        first = tokens[:, :keep]
        return torch.cat((-first[..., half:], first[..., :half]), dim=-1)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The same code; the sequence dim is declared as 2 * Dim("half")."""

    def forward(self, tokens):
        keep = tokens.shape[1] // 2
        half = tokens.shape[-1] // 2
        first = tokens[:, :keep]
        return torch.cat((-first[..., half:], first[..., :half]), dim=-1)
''',
    inputs="(torch.randn(2, 8, 4),)",
    other_inputs="(torch.randn(2, 12, 4),)",
    dynamic_shapes='{"tokens": {1: Dim("t", max=128)}}',
    fixed_dynamic_shapes='{"tokens": {1: 2 * Dim("half", max=64)}}',
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", error="UserError", match="Constraints violated", measured_on="2.13.0"),
    ),
    expect_without_site=(),
    variants=(
        Variant("static", None, (Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0"),)),
        Variant("auto", '{"tokens": {1: Dim.AUTO}}', (Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0"),),
                other_inputs="(torch.randn(2, 12, 4),)"),
        Variant("dynamic", '{"tokens": {1: Dim.DYNAMIC}}',
                (Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0"),), other_inputs="(torch.randn(2, 12, 4),)"),
        Variant("named", '{"tokens": {1: Dim("t", max=128)}}',
                (Outcome(FAILS, versions=">=2.13", error="UserError", match="Constraints violated",
                         measured_on="2.13.0"),), expect=("EXP130",)),
    ),
)
