from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

# Modelled on transformers' SwitchTransformers encoder stack
# (modeling_switch_transformers.py:748-761, failing export on torch 2.13 in strict,
# non-strict and Dim.AUTO runs when attention_mask is left out): the default mask is
# made only when not compiling, then indexed.
CASE = Case(
    name="none_input_fill_skipped",
    summary="an optional mask filled only when not compiling, then indexed: under export it stays None",
    rules=("EXP138",),
    bad='''\
import torch
from torch import nn


class Model(nn.Module):
    """Makes an all-ones mask when none is given, except while compiling."""

    def forward(self, x, mask=None):
        if mask is None and not torch.compiler.is_compiling():
            mask = torch.ones(x.shape[0], x.shape[1])
        extended = mask[:, None, :]  # expect: EXP138
        return x[:, None, :] * extended
''',
    fixed='''\
import torch
from torch import nn


class Model(nn.Module):
    """The default mask is made whatever the compiler state: export traces the fill."""

    def forward(self, x, mask=None):
        if mask is None:
            mask = torch.ones(x.shape[0], x.shape[1])
        extended = mask[:, None, :]
        return x[:, None, :] * extended
''',
    inputs="(torch.randn(2, 8),)",
    other_inputs="(torch.randn(2, 8) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported", match="Observed exception",
                measured_on="2.13.0"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="TypeError",
                match="'NoneType' object is not subscriptable", measured_on="2.13.0"),
    ),
)
