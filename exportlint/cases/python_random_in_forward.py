from exportlint.cases._case import FAILS, SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="python_random_in_forward",
    summary="Python's random in forward: strict export cannot trace it, non-strict bakes one draw into the program",
    rules=("EXP213",),
    bad='''\
import random

import torch


class Model(torch.nn.Module):
    """Adds a little noise drawn with Python's random module."""

    def forward(self, x):
        return x + random.gauss(0.0, 0.1)  # expect: EXP213


def draw_is_constant(eager, exported, inputs, other_inputs):
    """Eager draws anew on every call; the exported program repeats one number."""
    first, second = exported(*inputs), exported(*inputs)
    return torch.equal(first, second)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The noise is an input: the caller draws it on every call."""

    def forward(self, x, noise):
        return x + noise * 0.1
''',
    inputs="(torch.randn(2, 6),)",
    fixed_inputs="(torch.randn(2, 6), torch.randn(()))",
    divergence_probe="draw_is_constant",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="Attempted to call function marked as skipped", measured_on="2.13.0, 2.14.1"),
        Outcome(SPECIALIZES, versions=">=2.13", modes=(NON_STRICT,),
                note="the value drawn while tracing is a constant of the program", measured_on="2.13.0, 2.14.1"),
    ),
)
