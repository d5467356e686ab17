from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="near_miss_untraced_branches",
    summary=(
        "code under `self.training` (anywhere in an `and`), `torch.jit.is_scripting()` and "
        "`torch.jit.is_tracing()`, and under `not torch.compiler.is_compiling()` / `is_exporting()` (and "
        "transformers' wrappers of them): export never runs it, so what would fail there is no finding"
    ),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Dropout-like noise in training, TorchScript and jit.trace paths, export-safe code otherwise."""

    def __init__(self, p=0.1):
        super().__init__()
        self.p = p

    def forward(self, x):
        if self.p > 0 and self.training:
            x = x * (x.sum().item() > 0)
        if torch.jit.is_scripting():
            x = x + int(x.max())
        if torch.jit.is_tracing():
            if x.sum().item() > 0:
                x = -x
        if not torch.jit.is_tracing():
            x = x * 2
        if x.shape[0] > 1 and not torch.compiler.is_compiling():
            if x.sum().item() > 1e9:
                raise ValueError("activations overflowed")
        if not torch.compiler.is_exporting():
            if int(x.max()) > 1e9:
                raise ValueError("activations overflowed")
        return x
''',
    inputs="(torch.randn(3, 4),)",
    other_inputs="(torch.randn(5, 4) - 10,)",
    dynamic_shapes='{"x": {0: Dim.AUTO}}',
    # Measured on 2.13.0: both jit flags are False under export, strict and
    # non-strict, torch.compiler.is_compiling() and is_exporting() are True (the
    # .item() tests under `not ...` would fail export if traced), and
    # self.training is False for the eval-mode model export gets.
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0"),),
)
