"""The counter exports in strict mode (its helper relies on assume_constant_result)."""

import torch

from pkg.models.counter import Counter


def test_counter_exports_strict():
    torch.export.export(Counter(), (torch.randn(6, 3), torch.tensor(4)), strict=True)
