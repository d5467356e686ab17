from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="try_except_tensor_error",
    summary="forward falls back when column 10 does not exist (try/except IndexError): strict export cannot catch it",
    rules=("EXP127",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Uses column 10 when the input has it, the last column otherwise."""

    def forward(self, x):
        try:
            col = x[:, 10]  # expect: EXP127
        except IndexError:
            col = x[:, -1]
        return col * 2
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Slices never raise: column 10 if present, then the last; take the first."""

    def forward(self, x):
        col = torch.cat([x[:, 10:11], x[:, -1:]], dim=1)[:, 0]
        return col * 2
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="IndexError",
                match="index 10 is out of bounds for dimension 1 with size 8", measured_on="2.13.0"),
        Outcome(EXPORTS, versions=">=2.13", modes=(NON_STRICT,),
                note="the handler runs while tracing; the program holds the fallback path", measured_on="2.13.0"),
    ),
)
