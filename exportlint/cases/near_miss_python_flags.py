from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="near_miss_python_flags",
    summary=(
        "tests on None, Python flags, self.training, Python-number attributes and static shapes: all fixed at "
        "trace time"
    ),
    bad='''\
import torch


class Model(torch.nn.Module):
    """An encoder layer with the usual optional inputs and flags."""

    def __init__(self, dim=4, window=2.5):
        super().__init__()
        self.proj = torch.nn.Linear(dim, dim)
        self.window = window
        self.num_heads = 2

    def forward(self, hidden, attention_mask=None, output_attentions=None, use_bias: bool = False):
        if attention_mask is not None and attention_mask.dim() == 2:
            hidden = hidden * attention_mask[..., None]
        if self.training and self.window > 1:
            hidden = hidden * 0.9
        width = round(self.window * 2)
        if hidden.dim() == 3 and self.num_heads > 1:
            hidden = hidden + width
        rows = []
        for row in hidden:
            rows.append(row.sum(-1))
        out = self.proj(hidden) if use_bias else hidden
        positives = (hidden > 0).nonzero()
        counts = torch.zeros(positives.shape[0])
        if output_attentions:
            return out, torch.stack(rows), counts
        return out, torch.stack(rows), counts
''',
    inputs="(torch.randn(3, 5, 4), torch.ones(3, 5))",
    other_inputs="(torch.randn(3, 5, 4) * 2, torch.zeros(3, 5))",
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
