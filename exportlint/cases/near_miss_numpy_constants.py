from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="near_miss_numpy_constants",
    summary="NumPy at module level, in __init__ and on Python constants in forward: nothing traced depends on it",
    bad='''\
import numpy as np
import torch

SCALE = float(np.sqrt(64))
TABLE = torch.from_numpy(np.arange(6, dtype=np.float32))


def make_table(n):
    return np.linspace(0.0, 1.0, n, dtype=np.float32)


class Model(torch.nn.Module):
    """NumPy builds constants; forward only reads them."""

    def __init__(self):
        super().__init__()
        self.head_dim = 64
        self.register_buffer("ramp", torch.from_numpy(make_table(6)))

    def forward(self, x):
        scale = np.sqrt(self.head_dim) * np.float32(0.5) + np.pi
        return x / SCALE * scale + self.ramp + x.mean() * np.finfo(np.float32).eps
''',
    inputs="(torch.randn(2, 6),)",
    other_inputs="(torch.randn(3, 6),)",
    dynamic_shapes='{"x": {0: Dim.AUTO}}',
    bad_outcomes=(Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1"),),
)
