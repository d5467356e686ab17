from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="nonzero_loop",
    summary="a loop over the experts that received tokens (.nonzero(), switch_transformers): its length is data",
    rules=("EXP106",),
    bad='''\
import torch


def fix_weights(module):
    """Deterministic weights, so that every instance computes the same."""
    with torch.no_grad():
        for i, param in enumerate(module.parameters()):
            param.copy_(torch.linspace(-1.0, 1.0, param.numel()).reshape(param.shape) * (i + 1) / 4)


class Model(torch.nn.Module):
    """Top-1 mixture of experts that runs only the experts some token chose."""

    def __init__(self, num_experts=4, dim=8):
        super().__init__()
        self.router = torch.nn.Linear(dim, num_experts)
        self.experts = torch.nn.ModuleList([torch.nn.Linear(dim, dim) for _ in range(num_experts)])
        fix_weights(self)
        self.num_experts = num_experts

    def forward(self, hidden):
        choice = self.router(hidden).argmax(-1)
        mask = torch.nn.functional.one_hot(choice, self.num_experts)
        expert_hit = (mask.sum(0) > 0).nonzero()
        out = torch.zeros_like(hidden)
        for expert_idx in expert_hit:  # expect: EXP106
            rows = choice == expert_idx
            out = out + rows[:, None] * self.experts[expert_idx](hidden)  # expect: EXP108
        return out
''',
    fixed='''\
import torch


def fix_weights(module):
    """Deterministic weights, so that every instance computes the same."""
    with torch.no_grad():
        for i, param in enumerate(module.parameters()):
            param.copy_(torch.linspace(-1.0, 1.0, param.numel()).reshape(param.shape) * (i + 1) / 4)


class Model(torch.nn.Module):
    """Every expert runs; a mask keeps the rows routed to it."""

    def __init__(self, num_experts=4, dim=8):
        super().__init__()
        self.router = torch.nn.Linear(dim, num_experts)
        self.experts = torch.nn.ModuleList([torch.nn.Linear(dim, dim) for _ in range(num_experts)])
        fix_weights(self)
        self.num_experts = num_experts

    def forward(self, hidden):
        choice = self.router(hidden).argmax(-1)
        out = torch.zeros_like(hidden)
        for expert_idx in range(self.num_experts):
            rows = choice == expert_idx
            out = out + rows[:, None] * self.experts[expert_idx](hidden)
        return out
''',
    inputs="(torch.randn(6, 8),)",
    other_inputs="(torch.randn(6, 8) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="UserError",
                match="data-dependent expression", measured_on="2.13.0, 2.14.1"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="data-dependent expression", measured_on="2.13.0, 2.14.1"),
    ),
)
