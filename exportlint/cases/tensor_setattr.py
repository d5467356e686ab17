from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="tensor_setattr",
    summary="setattr() on an input tensor: the exported program drops the attribute",
    exportdb="tensor_setattr",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Tags the input tensor with its per-row maxima under a caller-chosen name."""

    def forward(self, x, name):
        setattr(x, name, x.amax(dim=1))
        return x - 1


def attribute_not_set(eager, exported, inputs, other_inputs):
    """Eager leaves the attribute on the caller's tensor; the exported program does not."""
    x, name = other_inputs[0].clone(), other_inputs[1]
    exported(x, name)
    return not hasattr(x, name)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The per-row maxima are returned instead of stored on the input."""

    def forward(self, x, name):
        return x - 1, x.amax(dim=1)
''',
    inputs='(torch.randn(3, 2), "row_max")',
    other_inputs='(torch.randn(3, 2) + 4, "row_max")',
    divergence_probe="attribute_not_set",
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="exports; the setattr is not in the program, the caller's tensor gets no attribute"),
    ),
)
