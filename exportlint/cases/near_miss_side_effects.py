from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="near_miss_side_effects",
    summary=(
        "side effects export handles: messages without tensor values, randomness only in training, state read but "
        "not written, setup in __init__"
    ),
    bad='''\
import logging
import os
import random
import time

import torch

logger = logging.getLogger("exportlint.case.near_miss_side_effects")
TABLE = torch.arange(6.0)
SCALES = {"small": 0.5}


class Model(torch.nn.Module):
    """Exported in eval mode; randomness and timing only happen in training or in __init__."""

    def __init__(self):
        super().__init__()
        self.layerdrop = 0.1
        self.built_at = time.time()
        self.debug = os.environ.get("EXPORTLINT_CASE_DEBUG") is not None
        self.eval()

    def forward(self, x):
        print("running forward on", x.shape)
        logger.info("forward called")
        if self.training and random.random() < self.layerdrop:
            return x
        seen = []
        seen.append(x.sum())
        return x * SCALES["small"] + TABLE + seen[0]
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(3, 6),)",
    dynamic_shapes='{"x": {0: Dim.AUTO}}',
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
