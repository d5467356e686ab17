from exportlint.cases._case import FAILS, SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="model_attr_mutation",
    summary="forward rebinds a module attribute: a side effect the graph cannot hold",
    exportdb="model_attr_mutation",
    rules=("EXP201",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Remembers the last batch mean on the module."""

    def __init__(self):
        super().__init__()
        self.last_mean = [torch.zeros(3)]

    def forward(self, x):
        self.last_mean = [x.mean(dim=0)]  # expect: EXP201
        return x - self.last_mean[0]


def attribute_not_updated(eager, exported, inputs, other_inputs):
    """In eager the module remembers the last call; the exported one does not."""
    exported(*other_inputs)
    remembered = getattr(exported, "last_mean", None)
    return not (remembered and torch.equal(remembered[0], other_inputs[0].mean(dim=0)))
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The mean is a local; state, if needed, is returned."""

    def forward(self, x):
        mean = x.mean(dim=0)
        return x - mean
''',
    inputs="(torch.randn(4, 3),)",
    other_inputs="(torch.randn(4, 3) + 5,)",
    divergence_probe="attribute_not_updated",
    bad_outcomes=(
        Outcome(FAILS, versions="<2.10", modes=(STRICT,), error="AssertionError",
                match="Mutating module attribute", note="from the issue's measurement on 2.7.1"),
        Outcome(FAILS, versions=">=2.7,<2.10", modes=(NON_STRICT,), error="ValueError",
                match="buffer", note="from the issue's measurement on 2.7.1"),
        Outcome(SPECIALIZES, versions=">=2.10", note="warns; the assignment is not in the program",
                measured_on="2.13.0, 2.14.1"),
    ),
)
