from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="tensor_assert",
    summary="assert on a tensor: strict export keeps it as a runtime check, non-strict export fails",
    rules=("EXP109",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Log-probabilities of non-negative counts."""

    def forward(self, counts):
        assert (counts >= 0).all(), "counts must be non-negative"  # expect: EXP109
        return torch.log1p(counts)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """torch._assert_async is an op of the graph: the check runs in the exported program."""

    def forward(self, counts):
        torch._assert_async((counts >= 0).all(), "counts must be non-negative")
        return torch.log1p(counts)
''',
    inputs="(torch.rand(3, 4) * 5,)",
    other_inputs="(torch.rand(3, 4) * 9,)",
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", modes=(STRICT,), measured_on="2.13.0, 2.14.1",
                note="the assert becomes a runtime assertion of the program"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="Could not guard on data-dependent expression", measured_on="2.13.0, 2.14.1"),
    ),
)
