"""A helper called from forward renormalises an embedding table through .data."""
import torch

INPUTS = "(torch.tensor([1, 2, 3]),)"
OTHER_INPUTS = "(torch.tensor([0, 4, 1]),)"
DYNAMIC_SHAPES = None
ORIGIN = "max_norm style renormalisation, pytorch/pytorch issues on Embedding max_norm under export"


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.table = torch.nn.Embedding(5, 4)

    def _renorm(self):
        norms = self.table.weight.norm(dim=1, keepdim=True).clamp(min=1.0)
        self.table.weight.data.div_(norms)  # recall: specializes strict, fails non-strict

    def forward(self, ids):
        self._renorm()
        return self.table(ids)
