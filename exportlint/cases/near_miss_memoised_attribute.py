from exportlint.cases._case import EXPORTS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

# wav2vec2-conformer's rotary embedding keeps its last table on the module and returns it while the
# length is unchanged. Export leaves the stores out (non-strict warns), so the program computes the
# table on every call: the values eager computes. EXP201 leaves such memos alone.
CASE = Case(
    name="near_miss_memoised_attribute",
    summary="a table memoised on the module by length: the program recomputes it, as eager does for a new length",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Rotary-style cos table, kept on the module while the length does not change."""

    def __init__(self):
        super().__init__()
        self.inv_freq = torch.nn.Buffer(1.0 / (10000 ** (torch.arange(0, 4, 2).float() / 4)), persistent=False)
        self.cached_length = None
        self.cached_table = None

    def table(self, x):
        length = x.shape[1]
        if length == self.cached_length and self.cached_table is not None:
            return self.cached_table
        self.cached_length = length
        freqs = torch.arange(length).type_as(self.inv_freq)[:, None] * self.inv_freq
        self.cached_table = torch.cat((freqs, freqs), dim=-1).cos()
        return self.cached_table

    def forward(self, x):
        return x + self.table(x)
''',
    inputs="(torch.randn(2, 6, 4),)",
    other_inputs="(torch.randn(2, 9, 4),)",
    dynamic_shapes='{"x": {1: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", modes=(STRICT,), measured_on="2.13.0"),
        Outcome(EXPORTS, versions=">=2.13", modes=(NON_STRICT,), measured_on="2.13.0",
                note="warns that self.cached_table was assigned during export; the program recomputes the table"),
    ),
)
