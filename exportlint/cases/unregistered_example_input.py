from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome, Variant

_FAILS = (Outcome(FAILS, versions=">=2.13", match="pytree", measured_on="2.13.0",
                  note='strict: UserError "not supported or pytree-flattenable"; non-strict: ValueError '
                       '"Unsupported input type"'),)

CASE = Case(
    name="unregistered_example_input",
    summary="a dataclass instance as an example input, not registered with pytree",
    rules=("EXP135",),
    bad='''\
import dataclasses

import torch


@dataclasses.dataclass
class Batch:
    tokens: torch.Tensor


class Model(torch.nn.Module):
    def forward(self, batch):
        return batch.tokens.cumsum(dim=1)
''',
    fixed='''\
import dataclasses

import torch


@dataclasses.dataclass
class Batch:
    tokens: torch.Tensor


torch.export.register_dataclass(Batch)


class Model(torch.nn.Module):
    def forward(self, batch):
        return batch.tokens.cumsum(dim=1)
''',
    inputs="(Batch(torch.randn(2, 8)),)",
    bad_outcomes=_FAILS,
    fixed_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0"),),
    expect_without_site=(),
    variants=(Variant("static", None, _FAILS, expect_at_site=("EXP135",)),),
)
