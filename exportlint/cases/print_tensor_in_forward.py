from exportlint.cases._case import SPECIALIZES, Case, Outcome

CASE = Case(
    name="print_tensor_in_forward",
    summary="print or logging of a tensor in forward: export leaves the call out of the program",
    rules=("EXP215",),
    bad='''\
import contextlib
import io
import logging

import torch

logger = logging.getLogger("exportlint.case.print_tensor_in_forward")


class Model(torch.nn.Module):
    """Prints the batch mean for debugging."""

    def forward(self, x):
        print("batch mean:", x.mean())  # expect: EXP215
        logger.warning("batch max: %s", x.max())  # expect: EXP215
        return x * 2


def print_dropped(eager, exported, inputs, other_inputs):
    """Eager prints and logs on every call; the exported program does neither."""
    out, logged = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(logged)
    logger.addHandler(handler)
    try:
        with contextlib.redirect_stdout(out):
            exported(*inputs)
    finally:
        logger.removeHandler(handler)
    return "batch mean" not in out.getvalue() and "batch max" not in logged.getvalue()
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """Returns the statistic instead, so the caller can log it."""

    def forward(self, x):
        return x * 2, x.mean()
''',
    inputs="(torch.randn(2, 6),)",
    divergence_probe="print_dropped",
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13",
                note="printed once while tracing (a FakeTensor in non-strict), never by the program",
                measured_on="2.13.0, 2.14.1"),
    ),
)
