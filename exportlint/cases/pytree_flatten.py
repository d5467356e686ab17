from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="pytree_flatten",
    summary="torch.utils._pytree flatten/unflatten of a dict input is traced through",
    exportdb="pytree_flatten",
    bad='''\
import torch
from torch.utils import _pytree as pytree


class Model(torch.nn.Module):
    """Scales every leaf of a dict of tensors by the first leaf's mean."""

    def forward(self, tree):
        leaves, spec = pytree.tree_flatten(tree)
        factor = leaves[0].mean()
        return pytree.tree_unflatten([leaf * factor for leaf in leaves], spec)
''',
    inputs='({"a": torch.randn(2, 2), "b": torch.randn(3)},)',
    other_inputs='({"a": torch.randn(2, 2) + 1, "b": torch.randn(3)},)',
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
