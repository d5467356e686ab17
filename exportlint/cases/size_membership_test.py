from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="size_membership_test",
    summary="`if n in [4, 8, 16]` on a dynamic length: export fixes the answer",
    rules=("EXP217",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Doubles sequences of the lengths a kernel supports."""

    def forward(self, x):
        if x.shape[1] in [4, 8, 16]:  # expect: EXP217
            return x * 2
        return x
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The test is a tensor: both results are computed and selected."""

    def forward(self, x):
        n = torch.tensor(x.shape[1])
        supported = (n == 4) | (n == 8) | (n == 16)
        return torch.where(supported, x * 2, x)
''',
    inputs="(torch.randn(2, 8),)",
    other_inputs="(torch.randn(2, 6),)",
    dynamic_shapes='{"x": {1: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", measured_on="2.13.0",
                note="Dim.AUTO: rejects lengths on the other side; a named Dim fails with Constraints violated"),
    ),
)
