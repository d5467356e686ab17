from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="decorator",
    summary="a functools.wraps decorator on forward is inlined into the graph",
    exportdb="decorator",
    bad='''\
import functools

import torch


def non_negative(fn):
    """Clamps whatever the wrapped function returns at zero."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs).clamp(min=0.0)

    return wrapper


class Model(torch.nn.Module):
    """A product minus one, clamped by the decorator."""

    @non_negative
    def forward(self, a, b):
        return a * b - 1.0
''',
    inputs="(torch.randn(4, 2), torch.randn(4, 2))",
    other_inputs="(torch.randn(4, 2) + 1, torch.randn(4, 2) + 1)",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
