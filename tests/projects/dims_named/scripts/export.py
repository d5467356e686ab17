"""Exports the encoder for any sequence length up to 128."""

import torch
from torch.export import Dim

from pkg.models import Encoder

model = Encoder().eval()
seq = Dim("t", max=128)
program = torch.export.export(model, (torch.randn(2, 8, 4),), dynamic_shapes={"tokens": {1: seq}})
