from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="python_number_from_data",
    summary="float() of a tensor and len() of a masked selection: non-strict export has no Python number to give",
    rules=("EXP107",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Scales by a temperature input and normalises by the number of positive scores."""

    def forward(self, scores, temperature: torch.Tensor):
        scores = scores / float(temperature)  # expect: EXP107
        positive = scores[scores > 0]
        count = len(positive)  # expect: EXP107
        return positive.sum() / max(count, 1)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The temperature stays a tensor; the count is a tensor too."""

    def forward(self, scores, temperature: torch.Tensor):
        scores = scores / temperature
        positive = scores > 0
        count = positive.sum().clamp(min=1)
        return torch.where(positive, scores, torch.zeros_like(scores)).sum() / count
''',
    inputs="(torch.randn(4, 6), torch.tensor(0.5))",
    other_inputs="(torch.randn(4, 6), torch.tensor(2.0))",
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", modes=(STRICT,), measured_on="2.13.0, 2.14.1",
                note="dynamo traces float(t) and len() of the selection symbolically"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="data-dependent expression", measured_on="2.13.0, 2.14.1"),
    ),
)
