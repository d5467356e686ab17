"""A layerdrop draw read only where eval mode short-circuits it: non-strict bakes nothing in;
strict still traces the draw and fails on the comparison (measured on 2.13)."""

import numpy as np
from torch import nn

ORIGIN = "transformers Wav2Vec2AdapterLayer stack (modeling_wav2vec2.py:849), layerdrop in eval mode"
INPUTS = "(torch.randn(2, 8),)"
OTHER_INPUTS = "(torch.randn(2, 8) * 3,)"
DYNAMIC_SHAPES = None


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(2)])
        self.layerdrop = 0.1
        self.eval()  # as models are exported (from_pretrained returns eval mode)

    def forward(self, x):
        for layer in self.layers:
            drop_draw = np.random.random()  # recall: fails strict
            if not self.training or drop_draw > self.layerdrop:
                x = layer(x)
        return x
