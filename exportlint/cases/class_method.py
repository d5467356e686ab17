from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="class_method",
    summary="a classmethod called through self, type(self) and self.__class__ is inlined",
    exportdb="class_method",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Normalises, then centres with a classmethod reached three ways."""

    centre = 0.25

    @classmethod
    def shift(cls, values):
        return values - cls.centre

    def __init__(self):
        super().__init__()
        self.norm = torch.nn.LayerNorm(5)

    def forward(self, x):
        y = self.norm(x)
        return self.shift(y) + type(self).shift(y) * self.__class__.shift(y)
''',
    inputs="(torch.randn(3, 5),)",
    other_inputs="(torch.randn(3, 5) - 2,)",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
