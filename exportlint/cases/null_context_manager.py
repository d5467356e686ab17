from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="null_context_manager",
    summary="contextlib.nullcontext() around forward's body is traced away",
    exportdb="null_context_manager",
    bad='''\
import contextlib

import torch


class Model(torch.nn.Module):
    """Body under a no-op context manager that yields its input."""

    def forward(self, x):
        with contextlib.nullcontext(x) as same:
            return torch.tanh(same) * 2 + same.exp()
''',
    inputs="(torch.randn(4, 2),)",
    other_inputs="(torch.randn(4, 2) * 0.1,)",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
