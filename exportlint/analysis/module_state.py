"""Which calls in traced code create module state: parameters, or modules that own them.

Shared by the rules about state made in forward (EXP122, EXP123) and by
EXP201, which leaves those assignments to them.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from exportlint.analysis.imports import dotted_name

PARAMETER_CALLS = frozenset({"torch.nn.Parameter", "torch.nn.parameter.Parameter"})

# torch.nn layers whose constructor creates nn.Parameters (measured: each fails
# strict export when built in forward on torch 2.13). Parameter-free modules
# (ReLU, Softmax, Dropout, Identity, Flatten) are fine there and are not listed.
PARAMETERISED_LAYERS = frozenset(
    "Linear Bilinear Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d Embedding EmbeddingBag "
    "LayerNorm GroupNorm BatchNorm1d BatchNorm2d RMSNorm MultiheadAttention LSTM GRU RNN PReLU".split()
)

# Of those, the ones whose initial weights are constants (ones, zeros, 0.25): a
# non-strict program that bakes them in agrees with eager (measured: LayerNorm).
CONSTANT_INIT_LAYERS = frozenset("LayerNorm GroupNorm BatchNorm1d BatchNorm2d RMSNorm PReLU".split())


def creates_parameter(call: cst.Call, ctx) -> bool:
    return ctx.qualify(call.func) in PARAMETER_CALLS


def created_module(call: cst.Call, ctx) -> Optional[str]:
    """The class name when ``call`` builds a torch.nn layer with parameters, or a
    module class of this file whose __init__ creates one."""
    qualified = ctx.qualify(call.func) or ""
    if qualified.startswith("torch.nn.") and qualified.rsplit(".", 1)[-1] in PARAMETERISED_LAYERS:
        return qualified.rsplit(".", 1)[-1]
    name = dotted_name(call.func)
    if name is not None and "." not in name and ctx.model_map.owns_parameters(name):
        return name
    return None
