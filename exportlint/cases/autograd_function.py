from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="autograd_function",
    summary="a custom torch.autograd.Function in forward: its forward is traced into the graph",
    exportdb="autograd_function",
    bad='''\
import torch


class ScaledClip(torch.autograd.Function):
    """Triples in the forward pass; clips the gradient in the backward pass."""

    @staticmethod
    def forward(ctx, values):
        return values * 3

    @staticmethod
    def backward(ctx, grad):
        return grad.clamp(-1.0, 1.0) * 3


class Model(torch.nn.Module):
    """A projection followed by a custom autograd function."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.linspace(-1.0, 1.0, 20).reshape(5, 4))

    def forward(self, feats):
        return ScaledClip.apply(feats @ self.weight.T).relu()
''',
    inputs="(torch.randn(2, 4),)",
    other_inputs="(torch.randn(2, 4) * 3,)",
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0",
                note="only the forward is exported; the custom backward is not part of the program"),
    ),
)
