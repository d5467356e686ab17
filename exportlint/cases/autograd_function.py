from exportlint.cases._case import SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="autograd_function",
    summary="a custom torch.autograd.Function: its forward is exported, its backward is dropped",
    exportdb="autograd_function",
    bad='''\
import torch


class RoundThrough(torch.autograd.Function):
    """Rounds in the forward pass; passes the gradient straight through."""

    @staticmethod
    def forward(ctx, values):
        return values.round()

    @staticmethod
    def backward(ctx, grad):
        return grad


class Model(torch.nn.Module):
    """A projection quantised to quarters, trained with a straight-through estimator."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.linspace(-1.0, 1.0, 20).reshape(5, 4))

    def forward(self, feats):
        return RoundThrough.apply(feats @ self.weight.T * 4) / 4


def backward_dropped(eager, exported, inputs, other_inputs):
    """Eager's input gradient comes from the custom backward; the program's does not."""
    x = other_inputs[0].clone().requires_grad_(True)
    eager(x).sum().backward()
    y = other_inputs[0].clone().requires_grad_(True)
    out = exported(y)
    if not out.requires_grad:
        return True  # the function ran without autograd: no gradient at all
    out.sum().backward()
    return not torch.allclose(x.grad, y.grad)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The straight-through estimator written with detach(): plain ops, same gradient."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.linspace(-1.0, 1.0, 20).reshape(5, 4))

    def forward(self, feats):
        y = feats @ self.weight.T * 4
        return (y + (y.round() - y).detach()) / 4
''',
    inputs="(torch.randn(2, 4),)",
    other_inputs="(torch.randn(2, 4) * 3,)",
    divergence_probe="backward_dropped",
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", modes=(STRICT,), measured_on="2.13.0, 2.14.1",
                note="the forward matches eager; the function runs under set_grad_enabled(False): its output has "
                "no gradient"),
        Outcome(SPECIALIZES, versions=">=2.13", modes=(NON_STRICT,), measured_on="2.13.0, 2.14.1",
                note="the forward matches eager; the program differentiates aten.round (gradient 0), not the "
                "custom backward"),
    ),
)
