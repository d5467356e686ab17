from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="tensor_condition",
    summary="Python if/and/conditional expression on tensors: export cannot choose the branch",
    rules=("EXP103",),
    graph_break="GB0170",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Masks padded keys only when the batch has padding; clamps only when needed."""

    def forward(self, scores, mask):
        if (mask == 0).any():  # expect: EXP103
            scores = scores.masked_fill(mask[:, None, :] == 0, -1e4)
        has_nan = torch.isnan(scores).any()
        scores = torch.nan_to_num(scores) if has_nan else scores  # expect: EXP103
        return scores.softmax(-1)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Masking and cleaning are unconditional: they are no-ops where nothing is padded or NaN."""

    def forward(self, scores, mask):
        scores = scores.masked_fill(mask[:, None, :] == 0, -1e4)
        scores = torch.where(torch.isnan(scores), torch.zeros_like(scores), scores)
        return scores.softmax(-1)
''',
    inputs="(torch.randn(2, 3, 4), torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]]))",
    other_inputs="(torch.randn(2, 3, 4), torch.ones(2, 4, dtype=torch.long))",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="Data-dependent branching", measured_on="2.13.0, 2.14.1"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="Could not guard on data-dependent expression", measured_on="2.13.0, 2.14.1"),
    ),
)
