from .base import PretrainedModule


class Scanner(PretrainedModule):
    """A decaying running sum, one step per position: fine while the length is fixed."""

    def forward(self, x):
        total = x[:, 0] * 0
        for i in range(x.shape[1]):
            total = 0.5 * total + x[:, i]
        return total
