from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

# The direct form of numpy_value_branch: the NumPy result tested by an `if`.
CASE = Case(
    name="numpy_value_if",
    summary="an `if` on np.lcm of two ints: strict export traces the NumPy call as a tensor",
    rules=("EXP140",),
    bad='''\
import numpy as np
import torch
from torch import nn


class Model(nn.Module):
    """Scales the input when its length is not a multiple of both chunk lengths."""

    def forward(self, x):
        multiple = np.lcm(4, 6)
        if x.shape[-1] % multiple != 0:  # expect: EXP140
            return x + 1
        return x * 2
''',
    fixed='''\
import math

import torch
from torch import nn


class Model(nn.Module):
    """math.lcm gives a Python int: the test is decided while tracing."""

    def forward(self, x):
        multiple = math.lcm(4, 6)
        if x.shape[-1] % multiple != 0:
            return x + 1
        return x * 2
''',
    inputs="(torch.randn(2, 10),)",
    other_inputs="(torch.randn(2, 10) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported", match="Data-dependent branching",
                measured_on="2.13.0"),
        Outcome(EXPORTS, versions=">=2.13", modes=(NON_STRICT,), measured_on="2.13.0",
                note="non-strict runs NumPy on Python ints: the test is decided while tracing"),
    ),
)
