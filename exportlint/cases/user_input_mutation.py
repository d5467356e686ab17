from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="user_input_mutation",
    summary="an in-place op on a user input: the program records the mutation and applies it",
    exportdb="user_input_mutation",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Takes the absolute value of the input in place, then shifts it."""

    def forward(self, x):
        x.abs_()
        return x + 0.5


def mutation_not_applied(eager, exported, inputs, other_inputs):
    """True when the exported program leaves the caller's tensor unchanged."""
    x = other_inputs[0].clone()
    exported(x)
    return not torch.equal(x, other_inputs[0].abs())
''',
    inputs="(torch.randn(3, 2),)",
    other_inputs="(torch.randn(3, 2) - 1,)",
    divergence_probe="mutation_not_applied",
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="the mutation is an output of the graph and the unlifted module copies it back"),
    ),
)
