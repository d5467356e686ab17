from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="near_miss_tensor_select",
    summary="tensor predicates kept in the graph (torch.cond, torch.where), and tensor branching outside forward",
    bad='''\
import torch


def debug_summary(x):
    """Called from scripts, never from forward."""
    if x.isnan().any():
        return "nan"
    return "ok"


class Model(torch.nn.Module):
    """Clamps negative rows, and takes the cheap path when the input is all zeros."""

    def forward(self, x):
        x = torch.where(x.sum(-1, keepdim=True) < 0, -x, x)
        return torch.cond(x.abs().sum() > 0, lambda t: t.exp(), lambda t: t.clone(), (x,))

    def check(self, x):
        """A helper forward does not call: not traced."""
        assert (x >= 0).all()
        return int(x.sum())
''',
    inputs="(torch.randn(3, 4),)",
    other_inputs="(torch.zeros(3, 4),)",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
