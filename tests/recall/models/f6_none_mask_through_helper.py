"""A mask filled only when not compiling, handed to a helper that reads its shape: None under export."""

import torch
from torch import nn

ORIGIN = "transformers LongT5Stack (modeling_longt5.py:1335-1349 and _split_into_blocks:111), no mask given"
INPUTS = "(torch.randn(2, 8),)"
OTHER_INPUTS = "(torch.randn(2, 8) * 3,)"
DYNAMIC_SHAPES = None


def split_into_blocks(x, block_len):
    if x.shape[1] % block_len != 0:  # recall: fails
        x = nn.functional.pad(x, (0, block_len - x.shape[1] % block_len))
    return x.reshape(x.shape[0], -1, block_len)


def local_mask(mask, block_len):
    return split_into_blocks(mask, block_len).sum(-1)


class Model(nn.Module):
    def forward(self, x, mask=None):
        if mask is None and not torch.compiler.is_compiling():
            mask = torch.ones(x.shape[0], x.shape[1])
        return x.reshape(2, -1, 4).sum(-1) * local_mask(mask, 4)
