from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

# Modelled on transformers' CTRL (modeling_ctrl.py:319: strict export fails there on
# torch 2.13, non-strict exports): a buffer made with nn.Buffer moved to the input's
# device and dtype by rebinding it in forward.
CASE = Case(
    name="buffer_object_reassigned",
    summary="an nn.Buffer attribute rebound in forward: strict export cannot set it (python_type of the buffer flag)",
    rules=("EXP139",),
    bad='''\
import torch
from torch import nn


class Model(nn.Module):
    """Moves its position table to the input's dtype by rebinding the buffer."""

    def __init__(self):
        super().__init__()
        self.table = nn.Buffer(torch.randn(8), persistent=False)

    def forward(self, x):
        self.table = self.table.to(device=x.device, dtype=x.dtype)  # expect: EXP139
        return x + self.table
''',
    fixed='''\
import torch
from torch import nn


class Model(nn.Module):
    """The moved table is a local: the buffer stays as registered."""

    def __init__(self):
        super().__init__()
        self.table = nn.Buffer(torch.randn(8), persistent=False)

    def forward(self, x):
        table = self.table.to(device=x.device, dtype=x.dtype)
        return x + table
''',
    inputs="(torch.randn(2, 8),)",
    other_inputs="(torch.randn(2, 8) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="Unsupported python_type() call", measured_on="2.13.0"),
        Outcome(EXPORTS, versions=">=2.13", modes=(NON_STRICT,), measured_on="2.13.0",
                note="the rebinding is traced as a buffer update; the program matches eager"),
    ),
)
