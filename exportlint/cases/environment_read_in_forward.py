from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="environment_read_in_forward",
    summary="an environment variable read in forward is read once, at export time",
    rules=("EXP214",),
    bad='''\
import os

import torch


class Model(torch.nn.Module):
    """Scales by a factor taken from the environment."""

    def forward(self, x):
        scale = float(os.environ.get("EXPORTLINT_CASE_SCALE", "2"))  # expect: EXP214
        return x * scale


def setting_ignored(eager, exported, inputs, other_inputs):
    """Eager follows a changed variable; the exported program keeps the old value."""
    os.environ["EXPORTLINT_CASE_SCALE"] = "3"
    try:
        return not torch.allclose(exported(*inputs), eager(*inputs))
    finally:
        del os.environ["EXPORTLINT_CASE_SCALE"]
''',
    fixed='''\
import os

import torch


class Model(torch.nn.Module):
    """The setting is read once, when the model is built, and stated as such."""

    def __init__(self):
        super().__init__()
        self.scale = float(os.environ.get("EXPORTLINT_CASE_SCALE", "2"))

    def forward(self, x):
        return x * self.scale
''',
    inputs="(torch.randn(2, 6),)",
    divergence_probe="setting_ignored",
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", note="the value read while tracing is a constant",
                measured_on="2.13.0, 2.14.1"),
    ),
)
