"""Exports the encoder as it is: every dim fixed to the example's."""

import torch

from pkg.models import Encoder

model = Encoder().eval()
program = torch.export.export(model, (torch.randn(2, 8, 4),))
