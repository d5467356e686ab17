from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="unregistered_output_class",
    summary="forward returns a cache object of a plain class: export cannot flatten the output",
    rules=("EXP113",),
    bad='''\
import torch


class KVCache:
    """Keys and values of the positions seen so far."""

    def __init__(self, keys, values):
        self.keys = keys
        self.values = values


class Model(torch.nn.Module):
    """Attention-like step that hands its cache back to the caller."""

    def forward(self, x):
        keys, values = x * 2, x + 1
        cache = KVCache(keys, values)
        return x.softmax(dim=-1), cache  # expect: EXP113
''',
    fixed='''\
import torch
from torch.utils import _pytree as pytree


class KVCache:
    """Keys and values of the positions seen so far."""

    def __init__(self, keys, values):
        self.keys = keys
        self.values = values


pytree.register_pytree_node(
    KVCache,
    lambda cache: ([cache.keys, cache.values], None),
    lambda children, _: KVCache(*children),
)


class Model(torch.nn.Module):
    """The cache class is a pytree node, so export can flatten it."""

    def forward(self, x):
        keys, values = x * 2, x + 1
        cache = KVCache(keys, values)
        return x.softmax(dim=-1), cache
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(3, 6),)",
    dynamic_shapes='{"x": {0: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="RuntimeError",
                match="in output, which is not a known type", measured_on="2.13.0, 2.14.1"),
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="AssertionError",
                match="Encountered unrecognized type UserDefinedObjectVariable(KVCache)", measured_on="2.13.0, 2.14.1"),
    ),
)
