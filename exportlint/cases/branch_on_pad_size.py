from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="branch_on_pad_size",
    summary="an if on padding computed from a dynamic dim keeps only the traced branch (mamba2 chunk padding)",
    rules=("EXP212",),
    bad='''\
import torch
import torch.nn.functional as F


class Model(torch.nn.Module):
    """Sums the sequence in chunks of 4, padding the last chunk when needed."""

    def forward(self, x):
        pad_size = (4 - x.shape[1] % 4) % 4
        if pad_size > 0:  # expect: EXP212
            x = F.pad(x, (0, pad_size))
        return x.reshape(x.shape[0], -1, 4).sum(-1)
''',
    fixed='''\
import torch
import torch.nn.functional as F


class Model(torch.nn.Module):
    """Pads unconditionally: a pad of 0 is a no-op, and no branch is traced."""

    def forward(self, x):
        pad_size = (4 - x.shape[1] % 4) % 4
        x = F.pad(x, (0, pad_size))
        return x.reshape(x.shape[0], -1, 4).sum(-1)
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(2, 8),)",
    dynamic_shapes='{"x": {1: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13",
                note="Dim.AUTO: rejects lengths that take the other branch (Guard failed: ... % 4 > 0); "
                "a named Dim fails with Constraints violated", measured_on="2.13.0, 2.14.1"),
    ),
)
