from exportlint.cases._case import FAILS, Case, Outcome

CASE = Case(
    name="dynamic_shape_round",
    summary="round() of a dynamic size: export cannot bound it for a named Dim",
    exportdb="dynamic_shape_round",
    rules=("EXP101",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Mean of the first half of each sequence, rounding half lengths."""

    def forward(self, tokens):
        keep = round(tokens.shape[1] / 2)  # expect: EXP101
        return tokens[:, :keep].mean(dim=1)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Integer arithmetic; the sequence dim is declared as 2 * Dim("half")."""

    def forward(self, tokens):
        keep = tokens.shape[1] // 2
        return tokens[:, :keep].mean(dim=1)
''',
    inputs="(torch.randn(2, 8, 4),)",
    other_inputs="(torch.randn(2, 12, 4),)",
    dynamic_shapes='{"tokens": {1: Dim("seq")}}',
    fixed_dynamic_shapes='{"tokens": {1: 2 * Dim("half")}}',
    bad_outcomes=(
        Outcome(
            FAILS, versions=">=2.1", error="UserError", match="Constraints violated",
            note="with a named Dim; Dim.AUTO exports but rejects short sequences", measured_on="2.13.0, 2.14.1",
        ),
    ),
)
