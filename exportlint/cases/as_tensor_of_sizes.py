from exportlint.cases._case import EXPORTS, FAILS, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

# Deformable-DETR-style models collect each feature map's (height, width) and turn the list into a
# tensor with torch.as_tensor: measured on deformable_detr, whose Dim.AUTO export then rejects any other
# image size (modeling_deformable_detr.py:1431). torch.tensor of the same list keeps the sizes symbolic.
CASE = Case(
    name="as_tensor_of_sizes",
    summary="torch.as_tensor of a list of sizes: export fixes the sizes; torch.tensor keeps them symbolic",
    rules=("EXP141",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Keeps the feature map's (height, width) in a tensor, as multi-scale detectors do."""

    def forward(self, x):
        spatial_shapes = []
        spatial_shapes.append((x.shape[2], x.shape[3]))
        levels = torch.as_tensor(spatial_shapes, dtype=torch.long)  # expect: EXP141
        size = torch.as_tensor((x.shape[2], x.shape[3]))  # expect: EXP141
        width = torch.as_tensor(x.shape[3])  # expect: EXP141
        return x.flatten(2).sum(-1) * levels.prod() + size.sum() + width
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """torch.tensor of the same sizes: they stay symbolic."""

    def forward(self, x):
        spatial_shapes = []
        spatial_shapes.append((x.shape[2], x.shape[3]))
        levels = torch.tensor(spatial_shapes, dtype=torch.long)
        size = torch.tensor((x.shape[2], x.shape[3]))
        width = torch.tensor(x.shape[3])
        return x.flatten(2).sum(-1) * levels.prod() + size.sum() + width
''',
    inputs="(torch.randn(2, 3, 4, 6),)",
    other_inputs="(torch.randn(2, 3, 5, 7),)",
    dynamic_shapes='{"x": {2: Dim("h"), 3: Dim("w")}}',
    bad_outcomes=(
        Outcome(FAILS, versions=">=2.13", modes=(STRICT, NON_STRICT), error="UserError",
                match="Constraints violated", measured_on="2.13.0",
                note="with named Dims; with Dim.AUTO the program accepts only the example's sizes"),
    ),
    fixed_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0",
                note="non-strict export before torch 2.7 fixes the sizes of torch.tensor too (sweep)"),
    ),
)
