from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="nested_function",
    summary="a closure that rebinds a nonlocal tensor is traced through",
    exportdb="nested_function",
    bad='''\
import torch


class Model(torch.nn.Module):
    """An inner step that decrements a captured accumulator before using it."""

    def forward(self, a, b):
        acc = a * b
        base = a + b

        def step(scale):
            nonlocal acc
            acc = acc - 1
            return acc * scale + base

        return step(acc)
''',
    inputs="(torch.randn(3, 2), torch.randn(2))",
    other_inputs="(torch.randn(3, 2) + 2, torch.randn(2))",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
