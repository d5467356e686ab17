from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

# Modelled on transformers' Reformer (modeling_reformer.py:161-169 and 2019-2023: strict
# export fails at line 2023 on torch 2.13, non-strict exports): the chunk length to pad
# to is np.lcm(...) of two config ints on one path of a helper, and tested in an `and`.
CASE = Case(
    name="numpy_value_branch",
    summary="np.lcm of two config ints tested for truth: strict export traces NumPy calls as tensors",
    rules=("EXP140",),
    bad='''\
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def chunk_multiple(kinds, a, b):
    if len(set(kinds)) == 1:
        return a
    return np.lcm(a, b)


class Model(nn.Module):
    """Pads the sequence to a multiple of both chunk lengths."""

    def __init__(self):
        super().__init__()
        self.kinds = ["local", "lsh"]

    def forward(self, x):
        multiple = chunk_multiple(self.kinds, 4, 6)
        must_pad = (
            x.shape[-1] % multiple != 0  # expect: EXP140
            and x.shape[-1] > 4
        )
        if must_pad:
            x = F.pad(x, (0, 2))
        return x * 2
''',
    fixed='''\
import math

import torch
import torch.nn.functional as F
from torch import nn


def chunk_multiple(kinds, a, b):
    if len(set(kinds)) == 1:
        return a
    return math.lcm(a, b)


class Model(nn.Module):
    """math.lcm gives a Python int: the test is decided while tracing."""

    def __init__(self):
        super().__init__()
        self.kinds = ["local", "lsh"]

    def forward(self, x):
        multiple = chunk_multiple(self.kinds, 4, 6)
        must_pad = (
            x.shape[-1] % multiple != 0
            and x.shape[-1] > 4
        )
        if must_pad:
            x = F.pad(x, (0, 2))
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
