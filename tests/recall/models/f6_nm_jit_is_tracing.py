"""is_tracing() only picks a warning path; export keeps eager's branch: clean."""
import torch
import warnings

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "torch.jit.is_tracing() warnings in torchvision-style code"


class Model(torch.nn.Module):
    def forward(self, x):
        if torch.jit.is_tracing():
            warnings.warn("tracing: output shape is fixed")
        return x.relu()
