"""Reflect padding whose amounts are tensors computed from buffers and the length (EnCodec's _pad1d)."""

import torch
import torch.nn.functional as F
from torch import nn

ORIGIN = "transformers EnCodec EncodecConv1d (modeling_encodec.py:150 fails export on torch 2.13)"
INPUTS = "(torch.randn(2, 1, 50),)"
OTHER_INPUTS = "(torch.randn(2, 1, 50),)"
DYNAMIC_SHAPES = None


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.stride = nn.Buffer(torch.tensor(4), persistent=False)
        self.kernel_size = nn.Buffer(torch.tensor(7), persistent=False)
        self.padding_total = nn.Buffer(torch.tensor(3), persistent=False)

    def _extra_padding(self, x: torch.Tensor) -> torch.Tensor:
        length = x.shape[-1]
        n_frames = (length - self.kernel_size + self.padding_total) / self.stride + 1
        n_frames = torch.ceil(n_frames).to(torch.int64) - 1
        return n_frames * self.stride + self.kernel_size - self.padding_total - length

    @staticmethod
    def _pad1d(x: torch.Tensor, paddings: tuple[int, int], mode: str = "zero"):
        length = x.shape[-1]
        padding_left, padding_right = paddings
        max_pad = max(padding_left, padding_right)
        extra_pad = 0
        if length <= max_pad:  # recall: fails
            extra_pad = max_pad - length + 1
            x = F.pad(x, (0, extra_pad))
        padded = F.pad(x, paddings, mode)
        return padded[..., : padded.shape[-1] - extra_pad]

    def forward(self, x):
        extra = self._extra_padding(x)
        return self._pad1d(x, (self.padding_total, extra), mode="reflect")
