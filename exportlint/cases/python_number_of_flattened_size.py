from exportlint.cases._case import EXPORTS, SPECIALIZES, Case, Outcome
from exportlint.rule import NON_STRICT, STRICT

# Measured on diffusers' DiT unpatchify (`height = width = int(hidden_states.shape[1] ** 0.5)`):
# a size that is a product of two named Dims is not one symbol, so non-strict export cannot
# report "Constraints violated" for it; it guards the program with the example's value.
CASE = Case(
    name="python_number_of_flattened_size",
    summary="int() of the square root of a flattened H*W length: non-strict export bakes the grid in",
    rules=("EXP118",),
    bad='''\
import torch


class Model(torch.nn.Module):
    """Flattens an image into tokens and folds them back into a square grid."""

    def forward(self, img):
        b, c = img.shape[0], img.shape[1]
        tokens = img.flatten(2).transpose(1, 2)
        side = int(tokens.shape[1] ** 0.5)  # expect: EXP118
        return tokens.reshape(b, side, side, c)
''',
    fixed='''\
import torch


class Model(torch.nn.Module):
    """The grid's sides come from the image's shape, so they stay symbolic."""

    def forward(self, img):
        b, c, h, w = img.shape
        tokens = img.flatten(2).transpose(1, 2)
        return tokens.reshape(b, h, w, c)
''',
    inputs="(torch.randn(2, 3, 4, 4),)",
    other_inputs="(torch.randn(2, 3, 6, 6),)",
    dynamic_shapes='{"img": {2: Dim("h"), 3: Dim("w")}}',
    bad_outcomes=(
        Outcome(SPECIALIZES, versions=">=2.13", modes=(NON_STRICT,), measured_on="2.13.0",
                note="no error with named Dims on H and W: the program rejects other sizes "
                     "(Guard failed: math.trunc(torch.sym_float(img.size()[2] * img.size()[3]) ** 0.5) == 4)"),
        Outcome(EXPORTS, versions=">=2.13", modes=(STRICT,), measured_on="2.13.0",
                note="dynamo keeps math.trunc(n ** 0.5) symbolic"),
    ),
)
