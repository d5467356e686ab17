from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="trace_time_flag_branch",
    summary="forward takes an approximate GELU when is_compiling(): the exported program is not the eager model",
    rules=("EXP301",),
    bad='''\
import torch
import torch.nn.functional as F


class Model(torch.nn.Module):
    """A 'compiler friendly' activation under torch.compile / export, the exact one in eager."""

    def forward(self, x):
        if torch.compiler.is_compiling():  # expect: EXP301
            return F.gelu(x, approximate="tanh")
        return F.gelu(x)
''',
    fixed='''\
import torch
import torch.nn.functional as F


class Model(torch.nn.Module):
    """One activation everywhere; the flag only skips an eager-only input check."""

    def forward(self, x):
        if not torch.compiler.is_compiling():
            assert x.dim() == 2, "expected (batch, features)"
        return F.gelu(x)
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 3,)",
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", note="the flag is True under export: the program runs the tanh GELU",
                measured_on="2.13.0"),
    ),
)
