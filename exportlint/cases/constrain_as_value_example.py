from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="constrain_as_value_example",
    summary="an .item() value bounded with torch._check decides an if at trace time",
    exportdb="constrain_as_value_example",
    bad='''\
import torch


class Model(torch.nn.Module):
    """A level known to be in [0, 9] always takes the first branch."""

    def forward(self, level, x):
        v = level.item()
        torch._check(v >= 0)
        torch._check(v <= 9)
        if v < 10:
            return x.exp() * 2
        return x.log()
''',
    inputs="(torch.tensor(3), torch.randn(4, 4))",
    other_inputs="(torch.tensor(8), torch.randn(4, 4))",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
