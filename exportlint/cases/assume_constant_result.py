from exportlint.cases._case import EXPORTS, SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="assume_constant_result",
    summary="@torch._dynamo.assume_constant_result on a helper reading a tensor: strict bakes the value in",
    exportdb="assume_constant_result",
    rules=("EXP203",),
    bad='''\
import torch
import torch._dynamo


class Model(torch.nn.Module):
    """Keeps the first `count` rows; the count is read by a helper marked constant."""

    @torch._dynamo.assume_constant_result
    def rows_to_keep(self, count):
        return count.item()

    def forward(self, feats, count):
        return feats[: self.rows_to_keep(count)] * 2  # expect: EXP203
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The count is a traced data-dependent value, bounded with torch._check."""

    def forward(self, feats, count):
        keep = count.item()
        torch._check(keep >= 0)
        torch._check(keep <= feats.shape[0])
        return feats[:keep] * 2
''',
    inputs="(torch.randn(6, 3), torch.tensor(4))",
    other_inputs="(torch.randn(6, 3), torch.tensor(2))",
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", modes=(STRICT,), measured_on="2.13.0, 2.14.1",
                note="the helper's result on the example (4) is a constant of the program; another count is ignored"),
        Outcome(EXPORTS, versions=">=2.13", modes=(NON_STRICT,), measured_on="2.13.0, 2.14.1",
                note="non-strict ignores the decorator and traces .item() as a data-dependent size"),
    ),
)
