from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="loop_over_dynamic_dim",
    summary="a Python loop over a dynamic dim is unrolled for the traced length (mamba, rwkv, recurrent_gemma)",
    rules=("EXP211",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """A decaying running sum over the sequence, one step per position."""

    def forward(self, x):
        state = torch.zeros_like(x[:, 0])
        outputs = []
        for t in range(x.shape[1]):  # expect: EXP211
            state = 0.5 * state + x[:, t]
            outputs.append(state)
        positions = torch.tensor(list(range(x.shape[1])))  # expect: EXP211
        return torch.stack(outputs, dim=1) + positions
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The same recurrence in closed form: state_t = sum_k 0.5**(t-k) x_k."""

    def forward(self, x):
        n = x.shape[1]
        positions = torch.arange(n)
        decay = torch.pow(0.5, (positions[:, None] - positions[None, :]).clamp(min=0).to(x.dtype))
        weights = torch.tril(decay)
        return x @ weights.T + positions
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(2, 9),)",
    dynamic_shapes='{"x": {1: Dim.AUTO}}',
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13",
                note="Dim.AUTO: rejects other lengths (Guard failed: x.size()[1] == 6); "
                "a named Dim fails with Constraints violated", measured_on="2.13.0, 2.14.1"),
    ),
)
