from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="tensor_to_numpy",
    summary="a traced tensor converted to NumPy: non-strict export has no data to give it",
    rules=("EXP110",),
    bad='''\
import numpy as np
import torch


class Model(torch.nn.Module):
    """Adds a NumPy tanh of the input."""

    def forward(self, x):
        y = x.detach().cpu().numpy()  # expect: EXP110
        return x + torch.from_numpy(np.tanh(y))
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The same with the torch op."""

    def forward(self, x):
        return x + torch.tanh(x)
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(2, 9),)",
    dynamic_shapes='{"x": {1: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="RuntimeError",
                match=".numpy() is not supported for tensor subclasses", measured_on="2.13.0, 2.14.1"),
        Outcome(EXPORTS, versions=">=2.13", modes=(STRICT,),
                note="dynamo rewrites the NumPy calls into torch ops", measured_on="2.13.0, 2.14.1"),
    ),
)
