from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="list_contains",
    summary="`in` / `not in` tests of sizes and constants against lists, in asserts",
    exportdb="list_contains",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Softmax over 4 or 8 classes, for batches of three or more."""

    def forward(self, logits):
        assert logits.size(1) in [4, 8]
        assert logits.size(0) not in [1, 2]
        assert "mean" not in ["sum", "max"]
        return logits.softmax(-1)
''',
    inputs="(torch.randn(4, 8),)",
    other_inputs="(torch.randn(7, 8),)",
    dynamic_shapes='{"logits": {0: Dim("batch", min=3)}}',
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note='with Dim("batch") left at min 0 both modes fail: Constraints violated (batch not in 1, 2)'),
    ),
)
