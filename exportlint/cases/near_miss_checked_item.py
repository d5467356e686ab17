from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="near_miss_checked_item",
    summary=".item() values bounded with torch._check, used as sizes and slice bounds, and in tests the checks decide",
    bad='''\
import torch


class Model(torch.nn.Module):
    """Keeps the first `keep` rows, pads to a fixed width and scales by the valid fraction."""

    def forward(self, rows, keep, weights):
        n = keep.item()
        torch._check_is_size(n)
        torch._check(n <= rows.shape[0])
        assert n >= 0, "keep must be non-negative"
        if n < 0:
            raise ValueError("negative keep")
        kept = rows[:n]
        padding = torch.zeros(rows.shape[0] - n, rows.shape[1])
        total = 0
        for w in weights.tolist():
            total = total + w
        return torch.cat([kept, padding]) * total
''',
    inputs="(torch.randn(6, 3), torch.tensor(4), torch.tensor([2, 3]))",
    other_inputs="(torch.randn(6, 3), torch.tensor(2), torch.tensor([1, 5]))",
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="the checks make n a size, decide `n < 0`, and bound the slice; the list has a static length "
                "(strict tolist() needs an integer tensor)"),
    ),
)
