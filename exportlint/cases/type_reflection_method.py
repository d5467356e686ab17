from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="type_reflection_method",
    summary="type(obj).classmethod(x) on a plain Python object created in forward",
    exportdb="type_reflection_method",
    bad='''\
import torch


class Affine:
    slope = 3.0

    @classmethod
    def apply(cls, x):
        return x * cls.slope - 1


class Model(torch.nn.Module):
    """Looks the classmethod up through the type of a fresh helper object."""

    def forward(self, x):
        helper = Affine()
        return type(helper).apply(x)
''',
    inputs="(torch.randn(3, 4),)",
    other_inputs="(torch.randn(3, 4) * 4,)",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
