"""The kinds of value export sees (no LibCST here: cached runs never load it)."""

from __future__ import annotations

import enum


class Kind(enum.Enum):
    TENSOR = "tensor"
    SHAPE = "shape"  # a torch.Size: a tuple of sizes
    SIZE = "size"  # a (possibly symbolic) int derived from a shape
    DATA = "data"  # a Python scalar or list read out of tensor values
    CONST = "const"  # fixed at trace time: literals, dtypes, ranks
    MODULE = "module"  # an nn.Module instance; calling it gives a tensor
    # A tuple or list written out of tensors, `(pad_left, pad_right)`: its truth and length
    # are static; its items, unpacked or indexed, are tensors.
    TENSORS = "tensors"
    UNKNOWN = "unknown"
