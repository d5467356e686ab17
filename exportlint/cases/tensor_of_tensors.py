from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="tensor_of_tensors",
    summary="torch.tensor() of a list of 0-d tensors computed in forward",
    rules=("EXP119",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Shifts by the range of the input, collected into a tensor."""

    def forward(self, x):
        stats = torch.tensor([x.max(), x.min()])  # expect: EXP119
        return x - stats[0] + stats[1]
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """torch.stack builds the tensor from tensors."""

    def forward(self, x):
        stats = torch.stack([x.max(), x.min()])
        return x - stats[0] + stats[1]
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 2,)",
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", modes=(STRICT,), measured_on="2.13.0",
                note="dynamo rewrites torch.tensor of tensors into tensor ops"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="RuntimeError", measured_on="2.13.0"),
    ),
)
