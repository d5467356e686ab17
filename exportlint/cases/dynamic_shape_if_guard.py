from exportlint.cases._case import FAILS, Case, Outcome

CASE = Case(
    name="dynamic_shape_if_guard",
    summary="a Python if on a dynamic size: export keeps one branch, and refuses a named Dim",
    exportdb="dynamic_shape_if_guard",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Long batches take cos, short ones sin."""

    def forward(self, x):
        if x.shape[0] > 4:  # expect: EXP212
            return x.cos()
        return x.sin()
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """torch.cond keeps both branches; the predicate stays symbolic."""

    def forward(self, x):
        return torch.cond(x.shape[0] > 4, lambda t: t.cos(), lambda t: t.sin(), (x,))
''',
    inputs="(torch.randn(6, 2, 2),)",
    other_inputs="(torch.randn(3, 2, 2),)",
    dynamic_shapes='{"x": {0: Dim("batch")}}',
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", error="UserError", match="Constraints violated (batch)",
                measured_on="2.13.0, 2.14.1",
                note=("the branch guard batch >= 5 narrows the Dim (suggested fix: min=5); with Dim.AUTO export keeps "
                      "the cos branch and rejects shorter batches; ExportDB's static example exports")),
    ),
)
