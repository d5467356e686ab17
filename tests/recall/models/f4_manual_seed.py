"""Seeds torch's generator in forward to get reproducible noise."""
import torch

INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "docs: torch.manual_seed; reproducible-noise models (e.g. diffusion samplers) seeding in forward"


class Model(torch.nn.Module):
    def forward(self, x):
        torch.manual_seed(1234)  # recall: fails strict, specializes non-strict
        return x + 0.1 * torch.randn_like(x)
