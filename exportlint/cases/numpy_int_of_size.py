from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="numpy_int_of_size",
    summary="np.int64 of a dynamic size: NumPy needs a concrete integer, so the size is baked in (big_bird, reformer)",
    rules=("EXP210",),
    bad='''\
import numpy as np
import torch


class Model(torch.nn.Module):
    """Averages over the sequence, counting it with a NumPy integer."""

    def forward(self, x):
        seq_len = np.int64(x.shape[1])  # expect: EXP210
        return x.sum(dim=1) / seq_len
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The size itself stays symbolic."""

    def forward(self, x):
        seq_len = x.shape[1]
        return x.sum(dim=1) / seq_len
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(2, 9),)",
    dynamic_shapes='{"x": {1: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", note="rejects other lengths (Guard failed: x.size()[1] == 6); "
                "a named Dim fails with Constraints violated", measured_on="2.13.0, 2.14.1"),
    ),
)
