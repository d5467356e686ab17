"""Logs only outside export: clean (the output is the same)."""
import logging

import torch

logger = logging.getLogger(__name__)

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "logging guarded by is_exporting/is_compiling"


class Model(torch.nn.Module):
    def forward(self, x):
        if not torch.compiler.is_exporting():
            logger.debug("eager forward")
        return x * 3
