"""Exports the encoder next to its definition: a relative import, a named Dim."""

import torch
from torch.export import Dim

from .encoder import Encoder


def export_encoder():
    seq = Dim("t", max=128)
    example = (torch.randn(2, 1, 4),)  # expect: EXP134
    return torch.export.export(Encoder(), example, dynamic_shapes={"tokens": {1: seq}})
