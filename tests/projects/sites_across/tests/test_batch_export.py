import dataclasses

import torch

from pkg import BatchEncoder


@dataclasses.dataclass
class Batch:
    tokens: torch.Tensor


def test_batch_encoder_exports():
    torch.export.export(BatchEncoder(), (Batch(torch.randn(2, 8)),))  # expect: EXP135
