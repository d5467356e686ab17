"""The shared analysis: which code is traced, and what each expression is."""

import textwrap

import libcst as cst
import pytest

from conftest import settings
from exportlint.analysis.parameters import annotation_kind
from exportlint.engine import lint_text
from exportlint.analysis.kinds import Classifier, Kind, Scope
from exportlint.source import may_contain_models
from exportlint.target import parse_torch_version, resolve_target
from exportlint.analysis.models import ModelMap


def model_map(source):
    return ModelMap(cst.parse_module(textwrap.dedent(source)))


def traced_names(source):
    """Names of every function the engine would visit, following calls."""
    from exportlint.context import FileContext
    from exportlint.traversal import TracedWalker

    mm = model_map(source)
    ctx = FileContext("m.py", resolve_target("2.13"), mm)
    walker = TracedWalker(ctx, [])
    walker.run(mm.roots())
    return sorted(t.node.name.value for t in walker._visited)


@pytest.mark.parametrize(
    "imports,base",
    [
        ("import torch", "torch.nn.Module"),
        ("import torch.nn as nn", "nn.Module"),
        ("from torch import nn", "nn.Module"),
        ("from torch.nn import Module", "Module"),
        ("import torch as T", "T.nn.Module"),
    ],
)
def test_module_subclasses_are_found_through_any_import_spelling(imports, base):
    mm = model_map(f"{imports}\nclass M({base}):\n    def forward(self, x):\n        return x\n")
    assert [r.node.name.value for r in mm.roots()] == ["forward"]


def test_a_local_class_named_module_is_not_torch():
    mm = model_map("class Module: pass\nclass M(Module):\n    def forward(self, x):\n        return x\n")
    assert mm.roots() == []


def test_subclass_of_an_in_file_module_is_a_module():
    mm = model_map(
        """
        import torch
        class Base(torch.nn.Module):
            pass
        class Child(Base):
            def forward(self, x):
                return x
        """
    )
    assert mm.is_module_class("Child")


def test_traced_code_follows_self_methods_and_module_functions_only():
    names = traced_names(
        """
        import torch
        def helper(x):
            return x
        def unused(x):
            return x
        class M(torch.nn.Module):
            def forward(self, x):
                return self.step(helper(x))
            def step(self, x):
                return x
            def not_called(self, x):
                return x
        """
    )
    assert names == ["forward", "helper", "step"]


def classify(expr, bindings=None, imports="import torch\nimport math\n"):
    mm = ModelMap(cst.parse_module(imports))
    scope = Scope()
    scope.names.update(bindings or {})
    return Classifier(mm.imports, lambda attr: Kind.UNKNOWN).kind(cst.parse_expression(expr), scope)


T = {"x": Kind.TENSOR}


@pytest.mark.parametrize(
    "expr,kind",
    [
        ("x.shape[0]", Kind.SIZE),
        ("x.size(1)", Kind.SIZE),
        ("x.size()[1]", Kind.SIZE),
        ("len(x)", Kind.SIZE),
        ("x.numel()", Kind.SIZE),
        ("x.shape[0] * 2 + 1", Kind.SIZE),
        ("x.shape", Kind.SHAPE),
        ("x.shape[1:]", Kind.SHAPE),
        ("x.dim()", Kind.CONST),
        ("x.ndim", Kind.CONST),
        ("len(x.shape)", Kind.CONST),
        ("x.item()", Kind.DATA),
        ("x.tolist()", Kind.DATA),
        ("int(x)", Kind.DATA),
        ("float(x.sum())", Kind.DATA),
        ("x.sum() > 0", Kind.TENSOR),
        ("x.item() + 1", Kind.DATA),
        ("torch.zeros(3)", Kind.TENSOR),
        ("x + 1", Kind.TENSOR),
        ("x is None", Kind.CONST),
        ("3 // 2", Kind.CONST),
        ("y", Kind.UNKNOWN),
        ("round(x.shape[0] / 2)", Kind.SIZE),
        ("(x, x + 1)", Kind.TENSORS),
        ("[x, torch.zeros(3)]", Kind.TENSORS),
        ("(x, x + 1)[0]", Kind.TENSOR),
        ("(x, 1)", Kind.UNKNOWN),
        ("(x, x) + (1,)", Kind.UNKNOWN),
        ("max(x, x + 1)", Kind.TENSOR),
        ("max(x.shape[0], 1)", Kind.SIZE),
    ],
)
def test_classifier(expr, kind):
    assert classify(expr, T) is kind


def test_a_local_named_like_a_builtin_is_not_the_builtin():
    from exportlint.analysis.kinds import Classifier

    scope = Scope()
    scope.names["round"] = Kind.UNKNOWN
    mm = ModelMap(cst.parse_module(""))
    call = cst.parse_expression("round(n)")
    assert Classifier(mm.imports, lambda a: Kind.UNKNOWN).builtin(call.func, scope) is None


@pytest.mark.parametrize("text,version", [("2.13.0+cpu", "2.13.0"), ("2.5", "2.5"), ("2.8.0a0+git123", "2.8.0")])
def test_torch_versions_are_read_without_local_tags(text, version):
    assert str(parse_torch_version(text)) == version


@pytest.mark.parametrize("version,strict", [("2.7", True), ("2.7.1", True), ("2.8", False), ("2.13", False)])
def test_default_mode_follows_exports_own_default(version, strict):
    assert resolve_target(version).strict is strict


def test_without_torch_the_newest_measured_release_is_targeted(monkeypatch):
    import exportlint.target as target
    from exportlint.measured import measured_releases

    monkeypatch.setattr(target, "installed_torch", lambda: None)
    assert target.resolve_target().torch == max(measured_releases())


def test_linting_never_imports_torch(tmp_path):
    import subprocess
    import sys

    (tmp_path / "m.py").write_text(
        "import torch\nclass M(torch.nn.Module):\n    def forward(self, x):\n        self.a = x\n"
    )
    code = (
        "import sys; from exportlint.cli import main; rc = main(['m.py', '--no-cache']); "
        "assert 'torch' not in sys.modules, 'torch was imported'; sys.exit(0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# The text prefilter ----------------------------------------------------------

CUSTOM_BASE_MODEL = """\
from mylib.layers import BaseLayer


class Half(BaseLayer):
    def forward(self, x):
        self.last = x
        return x
"""


def test_a_class_with_forward_and_a_base_from_outside_the_project_is_a_module_by_default():
    found = lint_text(CUSTOM_BASE_MODEL, "m.py", settings())
    assert [(d.code, d.line) for d in found] == [("EXP201", 6)]


def test_the_unresolved_base_fallback_can_be_turned_off_and_module_bases_still_work():
    off = {"unresolved-bases-are-modules": False}
    assert lint_text(CUSTOM_BASE_MODEL, "m.py", settings(**off)) == []
    found = lint_text(CUSTOM_BASE_MODEL, "m.py", settings(module_bases=["mylib.layers.BaseLayer"], **off))
    assert [(d.code, d.line) for d in found] == [("EXP201", 6)]


def test_module_bases_match_any_spelling_of_the_configured_class():
    spelled = CUSTOM_BASE_MODEL.replace("from mylib.layers import BaseLayer", "from mylib import BaseLayer")
    off = {"unresolved-bases-are-modules": False}
    found = lint_text(spelled, "m.py", settings(module_bases=["mylib.layers.BaseLayer"], **off))
    assert [(d.code, d.line) for d in found] == [("EXP201", 6)]


@pytest.mark.parametrize(
    "source,expected",
    [
        ("import torch\nclass M(torch.nn.Module):\n    def forward(self, x): ...\n", True),
        ("import torch\nclass M(torch.nn.Module):\n    async  def   forward(self, x): ...\n", True),
        # No forward method: nothing is a root, so nothing is traced.
        ("import torch\nclass M(torch.nn.Module):\n    def call(self, x): ...\n", False),
        ("import torch\nclass M(torch.nn.Module):\n    def forward_hook(self, x): ...\n", False),
        # A forward with no class cannot be a method.
        ("import torch\ndef forward(x): ...\n", False),
        # Bases from another file or package may be modules: the project index decides.
        ("class M(Base):\n    def forward(self, x): ...\n", True),
        ("from ..llama import LlamaMLP\nclass M(LlamaMLP):\n    def forward(self, x): ...\n", True),
        # A class with no base list is never a module.
        ("class M:\n    def forward(self, x): ...\n", False),
        # A base under another name, a base list spread over lines or holding a call.
        ("from torch.nn import Module as Layer\nclass M(Layer):\n    def forward(self, x): ...\n", True),
        ("import torch\nclass M(\n    torch.nn.Module,\n):\n    def forward(self, x): ...\n", True),
        ("import torch\nclass M(mixin(), torch.nn.Module):\n    def forward(self, x): ...\n", True),
        # A subclass of an in-file module: the chain starts at a class that names Module.
        ("from torch import nn\nclass A(nn.Module): pass\nclass B(A):\n    def forward(self, x): ...\n", True),
    ],
)
def test_the_prefilter_skips_only_files_without_possible_roots(source, expected):
    assert may_contain_models(source) is expected
    # Never stricter than the analysis: a file the analysis finds a root in is never skipped.
    assert expected or not model_map(source).roots()


# Parameter annotations -------------------------------------------------------
@pytest.mark.parametrize(
    "annotation,kind",
    [
        ("torch.Tensor", Kind.TENSOR),
        ("Tensor", Kind.TENSOR),
        ("torch.FloatTensor", Kind.TENSOR),
        ("Optional[torch.Tensor]", Kind.TENSOR),
        ("typing.Optional[Tensor]", Kind.TENSOR),
        ("torch.Tensor | None", Kind.TENSOR),
        ("None | torch.Tensor", Kind.TENSOR),
        ("Union[torch.Tensor, None]", Kind.TENSOR),
        ('"torch.Tensor"', Kind.TENSOR),
        ('Optional["Tensor"]', Kind.TENSOR),
        ("int", Kind.CONST),
        ("Optional[int]", Kind.CONST),
        # Containers of tensors are Python containers: their truth and length are static.
        ("list[torch.Tensor]", Kind.UNKNOWN),
        ("list[torch.Tensor] | None", Kind.UNKNOWN),
        ("tuple[Tensor, ...]", Kind.UNKNOWN),
        ("Optional[List[torch.Tensor]]", Kind.UNKNOWN),
        ("dict[str, Tensor]", Kind.UNKNOWN),
        ("Union[torch.Tensor, int]", Kind.UNKNOWN),
        ("Cache", Kind.UNKNOWN),
        ('"list[Tensor]"', Kind.UNKNOWN),
    ],
)
def test_annotations_give_the_parameter_kind(annotation, kind):
    function = cst.parse_statement(f"def forward(self, x: {annotation}): ...")
    assert annotation_kind(function.params.params[1].annotation) is kind


def test_a_list_of_tensors_tested_for_emptiness_is_not_a_tensor_condition():
    source = textwrap.dedent(
        """\
        import torch


        class Flow(torch.nn.Module):
            def forward(self, x: torch.Tensor, times: list[torch.Tensor] | None = None, mask: torch.Tensor = None):
                if times:
                    x = x + sum(times)
                if mask:
                    x = x * mask
                return x
        """
    )
    found = lint_text(source, "m.py", settings())
    assert [(d.code, d.line) for d in found] == [("EXP103", 8)]


# What a parent module passes to its submodules ---------------------------------
SWIN_LIKE = """\
import torch
import torch.nn.functional as F
from torch import nn


class WindowBlock(nn.Module):
    def __init__(self, window):
        super().__init__()
        self.window = window

    def forward(self, x, height, width, gate):
        pad = (7 - width % 7) % 7
        if pad > 0:
            x = F.pad(x, (0, 0, 0, pad))
        if gate.sum() > 0:
            x = x * 2
        return x[:, : int(height * width)]


class Stage(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = WindowBlock(7)

    def forward(self, x):
        height, width = x.shape[1], x.shape[2]
        return self.block(x, height, width, x)
"""


def test_a_submodule_learns_that_its_parent_passes_sizes_not_tensors():
    found = sorted((d.line, d.code) for d in lint_text(SWIN_LIKE, "m.py", settings()))
    # `if pad > 0` on sizes is EXP212 (specialises), not EXP103 (tensor condition);
    # int() of sizes is not a tensor conversion (no EXP107) but specialises the size in
    # non-strict export (EXP118); gate is a tensor (EXP103).
    assert found == [(13, "EXP212"), (15, "EXP103"), (17, "EXP118")]


def test_without_a_parent_in_the_file_unannotated_inputs_are_tensors():
    alone = SWIN_LIKE[: SWIN_LIKE.index("class Stage")]
    found = sorted((d.line, d.code) for d in lint_text(alone, "m.py", settings()))
    assert (13, "EXP103") in found and (17, "EXP107") in found


# LED's encoder: `is_global_attn = mask.flatten().any().item()` reaches the attention
# layer through a parameter annotated `bool | None` (modeling_led.py:192 fails export).
ANNOTATED_FLAG = """\
from torch import nn


class SelfAttention(nn.Module):
    def forward(self, x, is_global: bool | None = None, chunk: int = 4, flag: bool = False):
        if is_global:
            x = x + 1
        if flag:
            x = x * 2
        return x[:, :chunk]


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = SelfAttention()

    def forward(self, x, mask, output_attentions=False):
        is_global = mask.flatten().any().item()
        return self.attn(x, is_global=is_global, chunk=x.shape[1] // 2, flag=output_attentions)
"""


def test_a_value_read_from_data_stays_data_whatever_the_parameter_is_annotated():
    found = sorted((d.line, d.code) for d in lint_text(ANNOTATED_FLAG, "m.py", settings()))
    # line 6 is `if is_global:`; `if flag:` (line 8) is passed a literal default: a flag, no finding
    assert found == [(6, "EXP104")]


# EnCodec's _pad1d: a tuple of tensors handed to a staticmethod, unpacked, compared.
TUPLE_OF_TENSORS = """\
import torch
from torch import nn


class Conv(nn.Module):
    def __init__(self):
        super().__init__()
        self.total = nn.Buffer(torch.tensor(3), persistent=False)

    @staticmethod
    def _pad(x, paddings: tuple[int, int]):
        left, right = paddings
        if x.shape[-1] <= max(left, right):
            x = x + 1
        if len(paddings) == 2:
            x = x * 2
        return x

    def forward(self, x):
        extra = self.total - x.shape[-1]
        return self._pad(x, (self.total, extra))
"""


def test_tensors_packed_in_a_tuple_stay_tensors_through_a_staticmethod():
    found = sorted((d.line, d.code) for d in lint_text(TUPLE_OF_TENSORS, "m.py", settings()))
    # line 13 compares a size with a tensor; line 15 tests the tuple's length, which is static
    assert found == [(13, "EXP103")]


MOE_EXPERTS = """\
import torch
from torch import nn
from transformers.integrations import use_experts_implementation


@use_experts_implementation
class Experts(nn.Module):
    def forward(self, x, index):
        for expert in index.nonzero():
            x = x + expert
        return x


@use_experts_implementation(is_transposed=True)
class TransposedExperts(Experts):
    def forward(self, x, index):
        for expert in index.nonzero():
            x = x + expert
        return x


class EagerExperts(nn.Module):
    def forward(self, x, index):
        for expert in index.nonzero():
            x = x + expert
        return x
"""


def test_a_forward_a_library_decorator_replaces_is_not_traced():
    # transformers runs its grouped_mm experts by default, not the loop written here
    found = sorted((d.line, d.code) for d in lint_text(MOE_EXPERTS, "m.py", settings()))
    assert found == [(24, "EXP106")]  # the loop of EagerExperts only


def test_parents_are_walked_before_the_submodules_they_create():
    mm = model_map(SWIN_LIKE + "\n\nclass Top(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                   "        self.stage = Stage()\n\n    def forward(self, x):\n        return self.stage(x)\n")
    assert [r.owner.node.name.value for r in mm.roots()] == ["Top", "Stage", "WindowBlock"]


# Branches ----------------------------------------------------------------------
REASSIGNED_IN_ONE_BRANCH = """\
from torch import nn


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(4, 4)

    def forward(self, x, encoder_outputs=None):
        if encoder_outputs is None:
            encoder_outputs = self.encoder(x)
        if len(encoder_outputs) > 2:
            return x
        return -x
"""


def test_a_name_assigned_in_one_branch_keeps_the_kinds_it_had_before():
    # encoder_outputs is a tuple the caller passes, or a tensor: len() of it is no size.
    assert lint_text(REASSIGNED_IN_ONE_BRANCH, "m.py", settings()) == []


def test_the_same_name_assigned_a_size_on_every_path_is_still_a_size():
    source = REASSIGNED_IN_ONE_BRANCH.replace(
        "        if encoder_outputs is None:\n            encoder_outputs = self.encoder(x)\n",
        "        encoder_outputs = self.encoder(x)\n",
    )
    # EXP212: a branch on the size. EXP219 leaves len() of what a submodule returned alone (as
    # often a tuple or a ModelOutput: docs/not-detected.md).
    assert [d.code for d in lint_text(source, "m.py", settings())] == ["EXP212"]


NEVER_TRACED = """\
import torch
from torch import nn


class Block(nn.Module):
    def forward(self, x):
        if self.p > 0 and self.training:
            x = x if x.sum().item() > 0 else -x
        if torch.jit.is_scripting():
            x = x + int(x.max())
        if not torch.jit.is_tracing():
            x = x * 2
        else:
            x = x if x.sum().item() > 0 else -x
        return x
"""


TRANSFORMERS_COMPILING_FLAG = """\
from torch import nn

from ...utils import is_torchdynamo_compiling


class Stack(nn.Module):
    def forward(self, x, mask=None):
        if mask is None and not is_torchdynamo_compiling():
            if x.sum().item() > 0:
                x = -x
        if x.max().item() > 0:
            x = x + 1
        return x
"""


def test_code_transformers_runs_only_when_not_compiling_is_not_traced(tmp_path):
    # transformers.utils.is_torchdynamo_compiling() is torch.compiler.is_compiling(): True under export
    package = tmp_path / "transformers"
    (package / "models" / "stack").mkdir(parents=True)
    for init in (package, package / "models", package / "models" / "stack"):
        (init / "__init__.py").write_text("")
    path = package / "models" / "stack" / "modeling_stack.py"
    path.write_text(TRANSFORMERS_COMPILING_FLAG)
    found = sorted((d.line, d.code) for d in lint_text(TRANSFORMERS_COMPILING_FLAG, str(path), settings()))
    assert found == [(11, "EXP104")]  # line 9, under the flag, is not traced


def test_code_under_training_and_jit_tests_is_not_traced():
    assert lint_text(NEVER_TRACED, "m.py", settings()) == []


def test_the_rest_of_the_same_function_is_traced():
    source = NEVER_TRACED.replace("            x = x * 2\n", "            x = x if x.sum().item() > 0 else -x\n")
    assert [(d.code, d.line) for d in lint_text(source, "m.py", settings())] == [("EXP104", 12)]


def test_code_after_an_early_return_in_eval_mode_is_not_traced():
    source = """\
import numpy as np
from torch import nn


class Sparse(nn.Module):
    def forward(self, x):
        if not self.training:
            return x
        perm = np.random.permutation(4)
        return x[:, perm]
"""
    assert lint_text(source, "m.py", settings()) == []
    assert [d.code for d in lint_text(source.replace("            return x\n", "            x = x * 1\n"),
                                      "m.py", settings())] == ["EXP213"]


# An isinstance test says a name may not be what its annotation says (analysis/narrowing.py).
ISINSTANCE_TESTS = """\
import torch
from torch import nn


class Output:
    pass


class Model(nn.Module):
    def forward(self, x: torch.Tensor, encoder_outputs: torch.Tensor | None = None, extra: torch.Tensor = None):
        if encoder_outputs is None:
            encoder_outputs = x * 2
        elif return_dict and not isinstance(encoder_outputs, Output):  # DETR: the caller passed a tuple
            first = encoder_outputs[1] if len(encoder_outputs) > 1 else None
        if isinstance(extra, torch.Tensor):
            rows = len(extra)
        if isinstance(extra, (list, tuple)):
            pieces = len(extra)
        if not isinstance(x, torch.Tensor):
            x = [x]
        return len(x) + len(extra)
"""


def test_an_isinstance_test_hides_the_annotated_kind_in_its_body_only():
    found = [(d.line, d.code) for d in lint_text(ISINSTANCE_TESTS, "m.py", settings(target_torch="2.13"))]
    # 14: len() of what is not an Output (a tuple) is silent, and so is the size test on it;
    # 16: after isinstance(extra, torch.Tensor) it is a tensor; 18: a list or tuple is not;
    # 21: extra is a tensor again after the tests, x may be the list the block made of it.
    assert found == [(16, "EXP219"), (21, "EXP219")]
    assert [d.column for d in lint_text(ISINSTANCE_TESTS, "m.py", settings(target_torch="2.13"))][-1] == (
        ISINSTANCE_TESTS.splitlines()[20].index("len(extra)") + 1)


# A model config's fields are Python values (analysis/kinds.py, analysis/models.py).
CONFIG_FIELDS = """\
import torch
from torch import nn


class Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.block_size = config.block_size
        self.heads = config.text_config.num_heads

    def forward(self, x: torch.Tensor):
        batch, seq_len, _ = x.shape
        if seq_len % self.config.block_size != 0:
            x = x[:, : seq_len - seq_len % self.config.block_size]
        num_blocks = (seq_len + self.block_size - 1) // self.block_size
        for i in range(num_blocks):
            x = x + i
        if self.heads > 2:
            x = x * 2
        return x
"""


def test_config_fields_are_constants_so_arithmetic_with_sizes_stays_a_size():
    found = [(d.line, d.code) for d in lint_text(CONFIG_FIELDS, "m.py", settings(target_torch="2.13"))]
    # 14: a test on a size modulo a config field (pegasus_x); 17: a loop over blocks counted with a
    # field copied in __init__ (minimax); 19: a config field alone is no size, nothing to report
    assert found == [(14, "EXP212"), (17, "EXP211")]


def test_what_a_raise_evaluates_is_not_traced():
    source = """\
import torch


class Model(torch.nn.Module):
    def forward(self, x: torch.Tensor, flag: bool = False):
        n = x.shape[1]
        if n % 4 != 0 and flag:
            raise ValueError(f"{int(n)} is not a multiple of 4")
        if not flag and n % 8 != 0:
            raise ValueError("not a multiple of 8")
        return x * int(n)
"""
    found = [(d.line, d.code) for d in lint_text(source, "m.py", settings(target_torch="2.13"))]
    # 7: the size test runs before the flag, so it is guarded even where eager would not raise;
    # 8: int() in the message runs only when raising; 9: the flag comes first: the guard is the
    # validation itself; 11: int() of the size where it is traced
    assert found == [(7, "EXP212"), (11, "EXP118")]


# m2m_100's sinusoidal table: `self.padding_idx` copied from an `int | None` parameter, `self.weights`
# made by a method __init__ calls; the table's length is a size, the test on it a guard (measured:
# a Dim.AUTO export rejects longer inputs, bench/real_models.json).
POSITION_TABLE = """\
import torch
from torch import nn


class Positions(nn.Module):
    def __init__(self, num_positions: int, dim: int, padding_idx: int | None = None, scale=None):
        super().__init__()
        self.padding_idx = padding_idx
        self.scale = scale
        self.make_weights(num_positions, dim)

    def make_weights(self, n, dim):
        self.weights = nn.Buffer(torch.zeros(n, dim), persistent=False)

    def forward(self, x: torch.Tensor):
        max_pos = self.padding_idx + 1 + x.shape[1]
        if max_pos > self.weights.size(0):
            x = x[:, :4]
        if self.scale + x.shape[1] > 8:
            x = x * 2
        return x
"""


def test_attributes_from_scalar_parameters_and_from_setup_methods_have_kinds():
    found = [(d.line, d.code) for d in lint_text(POSITION_TABLE, "m.py", settings(target_torch="2.13"))]
    # 17: the guard; 19: `scale` has no annotation, so its attribute stays unknown and nothing is said
    assert found == [(17, "EXP212")]


def test_methods_of_an_in_file_submodule_are_traced():
    # funnel: the model calls `self.attention_structure.init_attention_inputs(...)`, a module without forward
    source = """\
import torch
from torch import nn


class Structure(nn.Module):
    def init_inputs(self, x: torch.Tensor):
        return self.positions(x.size(1))

    def positions(self, seq_len):
        return list(range(seq_len))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.structure = Structure()

    def forward(self, x: torch.Tensor):
        return x, self.structure.init_inputs(x)
"""
    found = [(d.line, d.code) for d in lint_text(source, "m.py", settings(target_torch="2.13"))]
    assert found == [(10, "EXP211")]


def test_a_layers_settings_are_constants_and_so_are_the_items_of_a_constant():
    # mobilenet_v1's TF "SAME" padding (modeling_mobilenet_v1.py:38, a measured guard line)
    source = """\
import torch
from torch import nn


def pad_same(features: torch.Tensor, conv_layer: nn.Conv2d) -> torch.Tensor:
    in_height, in_width = features.shape[-2:]
    stride_height, stride_width = conv_layer.stride
    if in_height % stride_height == 0:
        return features
    return features[..., :-1, :]


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, stride=2)

    def forward(self, x: torch.Tensor):
        return self.conv(pad_same(x, self.conv))
"""
    found = [(d.line, d.code) for d in lint_text(source, "m.py", settings(target_torch="2.13"))]
    assert found == [(8, "EXP212")]
