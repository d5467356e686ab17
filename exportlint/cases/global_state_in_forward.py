from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="global_state_in_forward",
    summary="forward writes module-level state: the write runs once while tracing and is not in the program",
    rules=("EXP216",),
    bad='''\
import torch

CALLS = 0
SEEN = []


class Model(torch.nn.Module):
    """Counts its calls and remembers batch means in module globals."""

    def forward(self, x):
        global CALLS
        CALLS += 1  # expect: EXP216
        SEEN.append(x.mean())  # expect: EXP216
        return x * 2


def calls_not_counted(eager, exported, inputs, other_inputs):
    """Eager bumps the counter on every call; the exported program does not."""
    before = CALLS
    exported(*inputs)
    return CALLS == before
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Counts in a buffer updated in place; returns the statistic."""

    def __init__(self):
        super().__init__()
        self.register_buffer("calls", torch.zeros((), dtype=torch.long))

    def forward(self, x):
        self.calls.add_(1)
        return x * 2, x.mean()
''',
    inputs="(torch.randn(2, 6),)",
    divergence_probe="calls_not_counted",
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", note="the writes happen once, while tracing",
                measured_on="2.13.0, 2.14.1"),
    ),
)
