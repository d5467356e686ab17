from exportlint.cases._case import FAILS, SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

CASE = Case(
    name="manual_seed_in_forward",
    summary="forward seeds torch's generator for reproducible noise: strict fails, non-strict loses the seed",
    rules=("EXP125",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Adds the same noise on every call by reseeding first."""

    def forward(self, x):
        torch.manual_seed(1234)  # expect: EXP125
        return x + 0.1 * torch.randn_like(x)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Draws the fixed noise once, in __init__, and keeps it as a buffer."""

    def __init__(self, width=8):
        super().__init__()
        generator = torch.Generator().manual_seed(1234)
        self.register_buffer("noise", torch.randn(width, generator=generator))

    def forward(self, x):
        return x + 0.1 * self.noise
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(4, 8) * 3,)",
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT,), error="Unsupported",
                match="Attempted to call function marked as skipped", measured_on="2.13.0"),
        Outcome(SPECIALIZES, versions=">=2.13", modes=(NON_STRICT,),
                note="the seed runs once while tracing; the program's noise differs from eager", measured_on="2.13.0"),
    ),
)
