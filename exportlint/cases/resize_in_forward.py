from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="resize_in_forward",
    summary="forward allocates an output by resizing an empty tensor: strict export refuses resize_",
    rules=("EXP121",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Grows an empty tensor to the batch size, then fills it."""

    def forward(self, x):
        out = x.new_empty(0)
        out.resize_(x.shape[0], 4)  # expect: EXP121
        out.fill_(1.0)
        return x[:, :4] + out
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Allocates the output at its final shape."""

    def forward(self, x):
        out = x.new_ones(x.shape[0], 4)
        return x[:, :4] + out
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="Unsupported Tensor.resize_() call", measured_on="2.13.0"),
        Outcome(EXPORTS, versions=">=2.13", modes=(NON_STRICT,), note="non-strict records resize_; agrees with eager",
                measured_on="2.13.0"),
    ),
)
