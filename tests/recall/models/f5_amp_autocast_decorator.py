"""A helper decorated with torch.amp.autocast(enabled=False)."""
import torch


@torch.amp.autocast("cpu", enabled=False)
def stable_norm(x):
    return x.float() / x.float().norm(dim=-1, keepdim=True)


INPUTS = "(torch.randn(4, 8),)"
OTHER_INPUTS = "(torch.randn(4, 8) * 3,)"
DYNAMIC_SHAPES = None
ORIGIN = "pytorch/pytorch#131829 (@autocast(enabled=False) decorated forward)"


class Model(torch.nn.Module):
    def forward(self, x):
        return stable_norm(x) * 3
