from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="parameter_created_in_forward",
    summary="forward wraps a new tensor in nn.Parameter: strict export cannot create parameters",
    rules=("EXP122",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Scales by a gain sized from the input, made on every call."""

    def forward(self, x):
        gain = torch.nn.Parameter(torch.ones(x.shape[-1]))  # expect: EXP122
        return x * gain
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The gain is a parameter of the module, made once in __init__."""

    def __init__(self, width=8):
        super().__init__()
        self.gain = torch.nn.Parameter(torch.ones(width))

    def forward(self, x):
        return x * self.gain
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="Attempted to use `torch.nn.Parameter()` with export", measured_on="2.13.0"),
        Outcome(EXPORTS, versions=">=2.13", modes=(NON_STRICT,),
                note="the new tensor becomes a constant; with torch.ones it agrees with eager", measured_on="2.13.0"),
    ),
)
