from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="type_reflection_method_rewrite",
    summary="the rewrite of type_reflection_method: call the classmethod on the class itself",
    exportdb="type_reflection_method_rewrite",
    bad='''\
import torch


class Affine:
    slope = 3.0

    @classmethod
    def apply(cls, x):
        return x * cls.slope - 1


class Model(torch.nn.Module):
    """Calls the classmethod on the class, without reflection."""

    def forward(self, x):
        return Affine.apply(x)
''',
    inputs="(torch.randn(3, 4),)",
    other_inputs="(torch.randn(3, 4) * 4,)",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
