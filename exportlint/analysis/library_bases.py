"""Which base classes make a class an ``nn.Module``, when the project cannot say.

A model file rarely derives from ``torch.nn.Module`` directly: transformers
models derive from ``PreTrainedModel``, diffusers models from ``ModelMixin``,
Lightning models from ``LightningModule``. When those libraries are installed
next to the user's code (not part of the linted project) their source is not
read, so this table says what they are. Each entry is an ``nn.Module``
subclass in the named library (checked against its source), spelled as users
import it.
"""

from __future__ import annotations

from typing import Optional, Sequence

TORCH_MODULE_BASES = frozenset(
    {"torch.nn.Module", "torch.nn.modules.module.Module", "torch.nn.modules.Module", "torch.jit.ScriptModule"}
)

# Library classes that derive from torch.nn.Module, by the names users import.
LIBRARY_MODULE_BASES = {
    # transformers: every model's top-level classes, and its decoder layers.
    "transformers.PreTrainedModel": "transformers",
    "transformers.modeling_utils.PreTrainedModel": "transformers",
    "transformers.modeling_layers.GradientCheckpointingLayer": "transformers",
    # diffusers: every model (UNet2DConditionModel, AutoencoderKL, ...).
    "diffusers.ModelMixin": "diffusers",
    "diffusers.models.ModelMixin": "diffusers",
    "diffusers.models.modeling_utils.ModelMixin": "diffusers",
    # Lightning: training wrappers whose forward is what gets exported.
    "lightning.LightningModule": "lightning",
    "lightning.pytorch.LightningModule": "lightning",
    "lightning.pytorch.core.module.LightningModule": "lightning",
    "pytorch_lightning.LightningModule": "pytorch_lightning",
    "pytorch_lightning.core.LightningModule": "pytorch_lightning",
    "pytorch_lightning.core.module.LightningModule": "pytorch_lightning",
    # PEFT wraps a model in a module of its own.
    "peft.PeftModel": "peft",
    "peft.peft_model.PeftModel": "peft",
    # sentence-transformers models are nn.Sequential subclasses.
    "sentence_transformers.SentenceTransformer": "sentence_transformers",
    # PyTorch Geometric layers.
    "torch_geometric.nn.MessagePassing": "torch_geometric",
    "torch_geometric.nn.conv.MessagePassing": "torch_geometric",
}

# Class decorators of libraries that replace the class's forward with a dispatcher,
# so the forward written in the class is not what export traces by default.
# transformers' MoE experts (Mixtral, Jamba, Qwen-MoE, ...): the dispatcher runs the
# implementation named by config._experts_implementation, "grouped_mm" by default
# (modeling_utils), and the written forward only for "eager". Measured: MixtralModel
# and JambaModel export on torch 2.13 in every setting (bench/real_models.json)
# while their written forwards loop over `nonzero()` experts.
FORWARD_REPLACING_DECORATORS = frozenset({
    "transformers.integrations.use_experts_implementation",
    "transformers.integrations.moe.use_experts_implementation",
})

# torch.nn names that are classes but not modules.
_TORCH_NN_NON_MODULES = frozenset({"Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer"})

# Standard-library packages whose classes are never modules (Generic, ABC, Enum, ...).
_NEVER_MODULES = frozenset(
    {"builtins", "typing", "typing_extensions", "abc", "enum", "dataclasses", "collections", "contextlib",
     "functools", "numbers", "os", "io", "json", "pathlib", "types", "logging", "threading", "queue"}
)


def _is_torch_module_class(qualified: str) -> bool:
    """``torch.nn.Linear``, ``torch.nn.modules.conv.Conv2d``: every capitalised name in
    torch.nn is a Module subclass but for the parameter types."""
    if qualified in TORCH_MODULE_BASES:
        return True
    if not qualified.startswith("torch.nn."):
        return False
    tail = qualified.rsplit(".", 1)[-1]
    return tail[:1].isupper() and tail not in _TORCH_NN_NON_MODULES and ".functional." not in qualified


def matches_configured(qualified: str, configured: Sequence[str]) -> bool:
    """``module-bases = ["transformers.PreTrainedModel"]`` matches every spelling of
    that class in its package: ``transformers.modeling_utils.PreTrainedModel`` too."""
    top, _, _ = qualified.partition(".")
    name = qualified.rsplit(".", 1)[-1]
    for base in configured:
        if qualified == base:
            return True
        base_top = base.partition(".")[0]
        if "." in base and base_top == top and base.rsplit(".", 1)[-1] == name:
            return True
        if "." not in base and name == base:  # a bare class name matches any spelling
            return True
    return False


def library_base_kind(qualified: str, configured: Sequence[str] = ()) -> Optional[bool]:
    """True: an nn.Module class; False: known not to be one; None: cannot tell."""
    if _is_torch_module_class(qualified) or qualified in LIBRARY_MODULE_BASES:
        return True
    if configured and matches_configured(qualified, configured):
        return True
    top = qualified.partition(".")[0]
    if top == "torch" or top in _NEVER_MODULES:
        return False
    return None
