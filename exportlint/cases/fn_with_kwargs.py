from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="fn_with_kwargs",
    summary="forward with a tuple input, *args and keyword-only / **kwargs parameters",
    exportdb="fn_with_kwargs",
    bad='''\
import torch


def mix(base, *terms, gain, **shifts):
    out = base * gain
    for term in terms:
        out = out + term
    for name in sorted(shifts):
        out = out - shifts[name]
    return out


class Model(torch.nn.Module):
    """Positional, tuple and variadic inputs, forwarded to a helper by keyword."""

    def forward(self, base, pair, *extra, weight=None, **named):
        out = base
        for t in pair:
            out = out * t
        out = mix(out, *extra, gain=pair[0], low=extra[0], high=base)
        if weight is not None:
            out = out * weight
        for key in sorted(named):
            out = out + named[key]
        return out
''',
    inputs="(torch.randn(4), (torch.randn(4), torch.randn(4)), torch.randn(4), torch.randn(4))",
    other_inputs="(torch.randn(4), (torch.randn(4), torch.randn(4)), torch.randn(4), torch.randn(4))",
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="measured with positional inputs only: the catalog cannot pass keyword inputs to export"),
    ),
)
