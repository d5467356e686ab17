from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="jit_compile_in_forward",
    summary="forward traces its submodule with torch.jit.trace and calls the trace: export cannot nest tracers",
    rules=("EXP128",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Runs its projection through a TorchScript trace made on every call."""

    def __init__(self):
        super().__init__()
        self.inner = torch.nn.Linear(8, 4)

    def forward(self, x):
        traced = torch.jit.trace(self.inner, x)  # expect: EXP128
        return traced(x)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Calls the projection directly: export captures it."""

    def __init__(self):
        super().__init__()
        self.inner = torch.nn.Linear(8, 4)

    def forward(self, x):
        return self.inner(x)
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 3,)",
    bad_outcomes=(
        # The message depends on what ran before in the process: alone, "Attempted to call function
        # marked as skipped"; after other exports, "Skip calling `torch.compiler.disable()`d function".
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                note="TorchDynamo skips torch.jit.trace", measured_on="2.13.0"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="AssertionError",
                match="Expected bool, got", measured_on="2.13.0"),
    ),
)
