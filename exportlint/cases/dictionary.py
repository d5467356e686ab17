from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="dictionary",
    summary="a dict built and read inside forward, and a dict output, are flattened away",
    exportdb="dictionary",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Collects intermediate results in a dict and returns a dict."""

    def forward(self, a, scale):
        parts = {}
        parts["sq"] = a * a
        parts["shifted"] = parts["sq"] + scale
        return {"out": parts["shifted"] * scale, "sq": parts["sq"]}
''',
    inputs="(torch.randn(2, 3), torch.tensor(3.0))",
    other_inputs="(torch.randn(2, 3), torch.tensor(-0.5))",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
