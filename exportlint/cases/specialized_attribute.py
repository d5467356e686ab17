from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="specialized_attribute",
    summary="plain Python attributes of the module (a str, a float) are burned into the program",
    exportdb="specialized_attribute",
    bad='''\
import enum

import torch


class Activation(enum.Enum):
    SOFTPLUS = "softplus"


class Model(torch.nn.Module):
    """Configured by a string and a float set in __init__."""

    def __init__(self):
        super().__init__()
        self.activation = "softplus"
        self.offset = 1.5

    def forward(self, x):
        if self.activation == Activation.SOFTPLUS.value:
            return torch.nn.functional.softplus(x) + self.offset
        raise ValueError(f"unknown activation {self.activation}")


def offset_burned_in(eager, exported, inputs, other_inputs):
    """Eager reads self.offset at every call; the program holds the value seen at export."""
    eager.offset = -3.0
    return not torch.allclose(exported(*other_inputs), eager(*other_inputs))
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The offset is a buffer: part of the program's state, not a constant."""

    def __init__(self):
        super().__init__()
        self.register_buffer("offset", torch.tensor(1.5))

    def forward(self, x):
        return torch.nn.functional.softplus(x) + self.offset
''',
    inputs="(torch.randn(3, 2),)",
    other_inputs="(torch.randn(3, 2) * 2,)",
    divergence_probe="offset_burned_in",
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="self.offset is a constant of the program and the string test is gone; changing them after "
                "export has no effect"),
    ),
)
