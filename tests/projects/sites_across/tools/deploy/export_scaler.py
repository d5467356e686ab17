"""A module-level export script: no class, no function, only the call."""

import torch

from pkg import Scaler

torch.export.export(Scaler(), (torch.randn(2, 4), 2.0))  # expect: EXP235
