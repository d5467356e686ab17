from exportlint.cases._case import FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="module_list_index",
    summary="a ModuleList indexed with a routing decision read from the data",
    rules=("EXP108",),
    bad='''\
import torch


def fix_weights(module):
    """Deterministic weights, so that every instance computes the same."""
    with torch.no_grad():
        for i, param in enumerate(module.parameters()):
            param.copy_(torch.linspace(-1.0, 1.0, param.numel()).reshape(param.shape) * (i + 1) / 4)


class Model(torch.nn.Module):
    """Routes a single sequence to the expert its pooled features choose."""

    def __init__(self, num_experts=3, dim=8):
        super().__init__()
        self.router = torch.nn.Linear(dim, num_experts)
        self.experts = torch.nn.ModuleList([torch.nn.Linear(dim, dim) for _ in range(num_experts)])
        fix_weights(self)

    def forward(self, hidden):
        choice = self.router(hidden.mean(0)).argmax()
        return self.experts[choice](hidden)  # expect: EXP108
''',
    fixed='''\
import torch


def fix_weights(module):
    """Deterministic weights, so that every instance computes the same."""
    with torch.no_grad():
        for i, param in enumerate(module.parameters()):
            param.copy_(torch.linspace(-1.0, 1.0, param.numel()).reshape(param.shape) * (i + 1) / 4)


class Model(torch.nn.Module):
    """Every expert runs; a tensor index picks the chosen output."""

    def __init__(self, num_experts=3, dim=8):
        super().__init__()
        self.router = torch.nn.Linear(dim, num_experts)
        self.experts = torch.nn.ModuleList([torch.nn.Linear(dim, dim) for _ in range(num_experts)])
        fix_weights(self)

    def forward(self, hidden):
        choice = self.router(hidden.mean(0)).argmax()
        outputs = torch.stack([expert(hidden) for expert in self.experts])
        return outputs.index_select(0, choice.reshape(1)).squeeze(0)
''',
    inputs="(torch.randn(5, 8),)",
    other_inputs="(torch.randn(5, 8) * 4,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="UserError",
                match="data-dependent expression", measured_on="2.13.0, 2.14.1"),
        Outcome(FAILS, versions=">=2.13", modes=(NON_STRICT,), error="GuardOnDataDependentSymNode",
                match="Could not extract specialized integer", measured_on="2.13.0, 2.14.1"),
    ),
)
