"""Exports the encoder, letting export decide which dims stay dynamic."""

import torch
from torch.export import Dim

from pkg.models import Encoder

model = Encoder().eval()
program = torch.export.export(model, (torch.randn(2, 8, 4),), dynamic_shapes={"tokens": {1: Dim.AUTO}})
