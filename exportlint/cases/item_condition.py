from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="item_condition",
    summary="an if on .item() of a tensor (longformer's is_global_attn): the value is data-dependent",
    rules=("EXP104",),
    bad='''\
import torch


def fix_weights(module):
    """Deterministic weights, so that every instance computes the same."""
    with torch.no_grad():
        for i, param in enumerate(module.parameters()):
            param.copy_(torch.linspace(-1.0, 1.0, param.numel()).reshape(param.shape) * (i + 1) / 4)


class Model(torch.nn.Module):
    """Adds global attention only when some token is marked global."""

    def __init__(self):
        super().__init__()
        self.global_proj = torch.nn.Linear(8, 8)
        fix_weights(self)

    def forward(self, hidden, global_mask):
        is_global_attn = global_mask.flatten().any().item()
        if is_global_attn:  # expect: EXP104
            hidden = hidden + self.global_proj(hidden) * global_mask[..., None]
        return hidden
''',
    fixed='''\
import torch


def fix_weights(module):
    """Deterministic weights, so that every instance computes the same."""
    with torch.no_grad():
        for i, param in enumerate(module.parameters()):
            param.copy_(torch.linspace(-1.0, 1.0, param.numel()).reshape(param.shape) * (i + 1) / 4)


class Model(torch.nn.Module):
    """torch.cond keeps both branches in the program and picks one at run time."""

    def __init__(self):
        super().__init__()
        self.global_proj = torch.nn.Linear(8, 8)
        fix_weights(self)

    def forward(self, hidden, global_mask):
        return torch.cond(
            global_mask.any(),
            lambda h, m: h + self.global_proj(h) * m[..., None],
            lambda h, m: h.clone(),
            (hidden, global_mask),
        )
''',
    inputs="(torch.randn(2, 5, 8), torch.tensor([[1.0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]))",
    other_inputs="(torch.randn(2, 5, 8), torch.zeros(2, 5))",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="UserError",
                match="Could not guard on data-dependent expression", measured_on="2.13.0, 2.14.1"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="Could not guard on data-dependent expression", measured_on="2.13.0, 2.14.1"),
    ),
)
