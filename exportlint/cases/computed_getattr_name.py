from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="computed_getattr_name",
    summary="forward picks an expert with getattr(self, f\"expert{i}\") where i is read from the router's output",
    rules=("EXP129",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Routes the whole batch to the expert the router scores highest."""

    def __init__(self):
        super().__init__()
        self.expert0 = torch.nn.Linear(2, 2)
        self.expert1 = torch.nn.Linear(2, 2)

    def forward(self, x):
        idx = int(x.argmax())  # expect: EXP107
        expert = getattr(self, f"expert{idx}")  # expect: EXP129
        return expert(x)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Runs both experts and selects the routed result with torch.where."""

    def __init__(self):
        super().__init__()
        self.expert0 = torch.nn.Linear(2, 2)
        self.expert1 = torch.nn.Linear(2, 2)

    def forward(self, x):
        pick_first = x.argmax() == 0
        return torch.where(pick_first, self.expert0(x), self.expert1(x))
''',
    inputs="(torch.tensor([[0.1, 0.9]]),)",
    other_inputs="(torch.tensor([[0.9, 0.1]]),)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="getattr() with non-constant name argument", measured_on="2.13.0"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="Could not extract specialized integer from data-dependent expression", measured_on="2.13.0"),
    ),
)
