from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="near_miss_flattenable_outputs",
    summary=(
        "outputs export can flatten: a NamedTuple, a registered dataclass, and a plain object passed between layers"
    ),
    bad='''\
import dataclasses
from typing import NamedTuple

import torch


class Pair(NamedTuple):
    first: torch.Tensor
    second: torch.Tensor


@dataclasses.dataclass
class Scores:
    logits: torch.Tensor


torch.export.register_dataclass(Scores)


class State:
    """A plain object, but it only travels from the layer to the model."""

    def __init__(self, hidden):
        self.hidden = hidden


class Layer(torch.nn.Module):
    def forward(self, x):
        return State(torch.tanh(x))


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = Layer()

    def forward(self, x):
        state = self.layer(x)
        return Pair(state.hidden, x * 2), Scores(x.softmax(dim=-1))
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(3, 6),)",
    dynamic_shapes='{"x": {0: Dim.AUTO}}',
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
