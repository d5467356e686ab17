"""Rules for module and tensor state, Python features and trace-time flags in forward
(EXP120-EXP126, EXP301): where they fire, and the near-misses where they stay silent.

Linting only: these tests never import torch.
"""

import textwrap

from exportlint.engine import lint_text

from conftest import settings

HEAD = "import torch\nfrom torch import nn\n"


def lint(source, strict=False, torch="2.13"):
    found = lint_text(textwrap.dedent(source), "model.py", settings(target_torch=torch, strict=strict))
    return [(d.line, d.code) for d in found]


def model(body, init="", extra=""):
    """A module after HEAD (+extra). forward's body starts on line 5 + lines of extra, or, with an __init__,
    on line 7 + lines of extra + lines of init (which start on line 6 + lines of extra)."""
    init_block = ""
    if init:
        init_block = "    def __init__(self):\n        super().__init__()\n" + textwrap.indent(
            textwrap.dedent(init), " " * 8
        )
    return (
        HEAD + extra + "class M(nn.Module):\n" + init_block + "    def forward(self, x):\n"
        + textwrap.indent(textwrap.dedent(body), " " * 8)
    )


# EXP120 tensor-data-in-forward -------------------------------------------------
def test_exp120_reads_writes_and_in_place_ops_through_data():
    src = model(
        """\
        self.gain.data = self.gain.data.clamp(min=0.1)
        self.proj.weight.data.mul_(0.5)
        mask = x.data > 0
        return self.proj(x) * mask
        """,
        init="self.gain = nn.Parameter(torch.ones(8))\nself.proj = nn.Linear(8, 8)\n",
    )
    # one finding per statement, on both modes (strict: the program is wrong, non-strict: fails)
    assert lint(src) == [(9, "EXP120"), (10, "EXP120"), (11, "EXP120")]
    assert lint(src, strict=True) == [(9, "EXP120"), (10, "EXP120"), (11, "EXP120")]


def test_exp120_silent_on_data_of_non_tensors_and_outside_forward():
    src = model(
        """\
        batch = self.wrap(x)
        return batch.data + self.config.data
        """,
        init="self.proj = nn.Linear(8, 8)\nself.proj.weight.data.fill_(0.1)\n",
    )
    assert lint(src) == []


def test_exp120_follows_the_measurement_on_older_releases():
    """The sweep measured tensor_data_in_forward failing non-strict on 2.12.1 (the
    old hand rows kept the rule silent before 2.13); on 2.9.1 it exported and
    differed from eager, and on 2.5.1 it failed again."""
    severities = {}
    for torch in ("2.5", "2.9", "2.12"):
        found = lint_text(model("return x.data\n"), "model.py", settings(target_torch=torch, strict=False))
        severities[torch] = [(d.code, d.severity.value) for d in found]
    assert severities == {"2.5": [("EXP120", "error")], "2.9": [("EXP120", "warning")],
                          "2.12": [("EXP120", "error")]}


# EXP121 strict-unsupported-call: resize_ ---------------------------------------------------------
def test_exp121_resize_is_a_strict_failure_only():
    src = model("out = x.new_empty(0)\nout.resize_(4, 4)\ny = torch.zeros(1)\ny.resize_as_(x)\nreturn out\n")
    assert lint(src, strict=True) == [(6, "EXP121"), (8, "EXP121")]
    assert lint(src) == []


def test_exp121_silent_on_reshape_and_on_unknown_receivers():
    assert lint(model("self.cache.resize_(4)\nreturn x.reshape(2, -1)\n"), strict=True) == []


# EXP122 / EXP123 state created in forward -------------------------------------------
def test_exp122_parameter_in_forward_strict_only():
    src = model("w = nn.Parameter(torch.ones(8))\nreturn x * w\n")
    assert lint(src, strict=True) == [(5, "EXP122")]
    assert lint(src) == []


def test_exp122_silent_on_parameters_made_in_init():
    assert lint(model("return x * self.w\n", init="self.w = nn.Parameter(torch.ones(8))\n"), strict=True) == []


def test_exp123_layers_with_parameters_and_in_file_blocks():
    extra = (
        "class Block(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(8, 8)\n\n\n"
    )
    src = model("a = nn.Linear(8, 8)(x)\nb = nn.LayerNorm(x.shape[-1])(a)\nreturn Block()(b)\n", extra=extra)
    assert lint(src, strict=True) == [(11, "EXP123"), (12, "EXP123"), (13, "EXP123")]
    # non-strict bakes LayerNorm's ones and zeros, which is what eager makes too
    assert lint(src) == [(11, "EXP123"), (13, "EXP123")]


def test_exp123_silent_on_parameter_free_modules():
    extra = "class Scale(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.k = 2\n\n\n"
    src = model("y = nn.Softmax(dim=-1)(nn.ReLU()(x))\nreturn Scale()(y)\n", extra=extra)
    assert lint(src, strict=True) == []


def test_exp123_takes_over_from_exp201_for_a_head_built_on_first_call():
    src = model(
        "if self.head is None:\n    self.head = nn.Linear(x.shape[-1], 3)\nreturn self.head(x)\n",
        init="self.head = None\n",
    )
    assert lint(src) == [(9, "EXP123")]


# EXP124 lazy-module-uninitialized ----------------------------------------------------
def test_exp124_lazy_layers_in_init_non_strict():
    src = model("return self.net(self.fc(x))\n",
                init="self.fc = nn.LazyLinear(4)\nself.net = nn.Sequential(nn.LazyConv1d(4, 3))\n")
    assert lint(src) == [(6, "EXP124"), (7, "EXP124")]
    assert lint(src, strict=True) == []  # strict export initialises them while tracing


def test_exp124_silent_when_init_runs_a_dry_call():
    src = model("return self.fc(x)\n", init="self.fc = nn.LazyLinear(4)\nself.fc(torch.zeros(1, 8))\n")
    assert lint(src) == []


# EXP125 manual-seed-in-forward -------------------------------------------------------
def test_exp125_torch_manual_seed_and_seeded_generator():
    src = model(
        "torch.manual_seed(0)\ng = torch.Generator().manual_seed(1)\nreturn x + torch.randn(x.shape, generator=g)\n"
    )
    assert lint(src) == [(5, "EXP125"), (6, "EXP125")]
    assert lint(src, strict=True) == [(5, "EXP125"), (6, "EXP125")]


def test_exp125_silent_on_seeding_in_init():
    src = model("return x * self.w\n", init="torch.manual_seed(0)\nself.w = nn.Parameter(torch.randn(8))\n")
    assert lint(src) == []


# EXP126 autograd-in-forward ------------------------------------------------------------
def test_exp126_autograd_grad_and_backward():
    src = model(
        "y = (x * x).sum()\ng, = torch.autograd.grad(y, x)\ny.backward()\nreturn g\n"
    )
    assert lint(src) == [(6, "EXP126"), (7, "EXP126")]
    assert lint(src, strict=True) == [(6, "EXP126"), (7, "EXP126")]


def test_exp126_silent_on_backward_of_unknown_objects():
    assert lint(model("self.hook.backward()\nreturn x\n")) == []


# EXP301 trace-time-flag-branch ------------------------------------------------------------
def test_exp301_if_and_conditional_expression_on_export_flags():
    src = model(
        """\
        scale = 1.0 if torch.compiler.is_compiling() else 0.5
        if not torch._dynamo.is_compiling():
            x = x + 1
        if torch.compiler.is_exporting():
            return x * 2
        return x * scale
        """
    )
    assert lint(src) == [(5, "EXP301"), (6, "EXP301"), (8, "EXP301")]
    assert lint(src, strict=True) == [(5, "EXP301"), (6, "EXP301"), (8, "EXP301")]


def test_exp301_code_after_an_export_flag_return_is_not_traced():
    # is_exporting() is True under export (measured, case near_miss_untraced_branches):
    # the flag branch is reported, what follows the return never runs under export
    src = model(
        """\
        if torch.compiler.is_exporting():
            return x * 2
        scale = 1.0 if torch.compiler.is_compiling() else 0.5
        return x * scale
        """
    )
    assert lint(src) == [(5, "EXP301")]


def test_exp301_silent_when_the_flag_only_skips_checks_and_logging():
    src = model(
        """\
        if not torch.compiler.is_compiling():
            if x.dim() != 2:
                raise ValueError("2-d")
            assert x.shape[-1] == 8
        if not torch.compiler.is_exporting():
            logger.debug("eager")
            warnings.warn("slow path")
        return x
        """,
        extra="import logging\nimport warnings\nlogger = logging.getLogger(__name__)\n",
    )
    assert lint(src) == []


def test_exp301_silent_on_jit_flags_which_are_false_under_export():
    src = model("if torch.jit.is_tracing():\n    return x * 0\nreturn x if torch.jit.is_scripting() else x\n")
    assert lint(src) == []


# EXP121 strict-unsupported-call: checkpoint ------------------------------------------------------------
def test_exp121_checkpoint_strict_only():
    src = model(
        "y = torch.utils.checkpoint.checkpoint(self.block, x, use_reentrant=False)\n"
        "return checkpoint_sequential(self.layers, 2, y, use_reentrant=False)\n",
        extra="from torch.utils.checkpoint import checkpoint_sequential\n",
    )
    assert lint(src, strict=True) == [(6, "EXP121"), (7, "EXP121")]
    assert lint(src) == []


def test_exp121_silent_under_a_training_test():
    src = model(
        "if self.gradient_checkpointing and self.training:\n"
        "    return torch.utils.checkpoint.checkpoint(self.block, x)\n"
        "return self.block(x)\n"
    )
    assert lint(src, strict=True) == []


# EXP128 jit-compile-in-forward -----------------------------------------------------------
def test_exp128_trace_in_both_modes_script_in_strict():
    src = model("f = torch.jit.script(helper)\nt = torch.jit.trace(self.inner, x)\nreturn t(f(x))\n")
    assert lint(src, strict=True) == [(5, "EXP128"), (6, "EXP128")]
    assert lint(src) == [(6, "EXP128")]


def test_exp128_silent_on_module_level_scripted_helpers():
    src = model("return fused(x)\n", extra="@torch.jit.script\ndef fused(x):\n    return x * 2\n\n\n")
    assert lint(src, strict=True) == []


# EXP129 computed-getattr-name ------------------------------------------------------------
def test_exp129_names_from_data_in_both_modes_from_sizes_in_non_strict():
    src = model(
        "i = int(x.argmax())\na = getattr(self, f\"expert{i}\")(x)\n"
        "return getattr(self, \"proj\" + str(x.shape[1]))(a)\n"
    )
    assert [f for f in lint(src, strict=True) if f[1] == "EXP129"] == [(6, "EXP129")]
    assert [f for f in lint(src) if f[1] == "EXP129"] == [(6, "EXP129"), (7, "EXP129")]


def test_exp129_silent_on_loop_counters_and_config_names():
    src = model(
        "for i in range(3):\n    x = getattr(self, f\"layer{i}\")(x)\nreturn getattr(F, self.act)(x)\n",
        extra="import torch.nn.functional as F\n",
    )
    assert lint(src) == []


# EXP220 autocast-in-forward ---------------------------------------------------------------
def test_exp220_enabled_autocast_region_strict_only():
    src = model("with torch.autocast(\"cpu\", dtype=torch.bfloat16):\n    y = x * 2\nreturn y\n")
    assert lint(src, strict=True) == [(5, "EXP220")]
    assert lint(src) == []


def test_exp220_silent_on_disabled_autocast():
    src = model("with torch.autocast(\"cpu\", enabled=False):\n    y = x.float()\nreturn y\n")
    assert lint(src, strict=True) == []


# EXP127 try-except-tensor-error ---------------------------------------------------------
def test_exp127_first_tensor_op_in_a_try_that_catches_tensor_errors():
    src = model(
        "try:\n    y = x.view(-1)\n    z = y[:10]\nexcept RuntimeError:\n    y = x.reshape(-1)\nreturn y\n"
    )
    assert lint(src, strict=True) == [(6, "EXP127")]
    assert lint(src) == []


def test_exp127_silent_on_key_errors_and_try_finally():
    src = model(
        "try:\n    s = self.cfg[\"shift\"]\nexcept KeyError:\n    s = 0.0\n"
        "try:\n    y = x.relu()\nfinally:\n    pass\nreturn y + s\n"
    )
    assert lint(src, strict=True) == []


def test_exp127_silent_when_every_catching_handler_raises_again():
    # LayoutLMv3 (modeling_layoutlmv3.py:115) only adds a message: strict export exports (measured)
    reraise = "try:\n    y = x[:, 10]\nexcept IndexError as e:\n    raise ValueError('x too short') from e\nreturn y\n"
    assert lint(model(reraise), strict=True) == []
    fallback = reraise.replace("except IndexError as e:", "except KeyError:\n    raise\nexcept IndexError:\n    y = x")
    fallback = fallback.replace("    raise ValueError('x too short') from e\n", "")
    assert lint(model(fallback), strict=True) == [(6, "EXP127")]


def test_exp301_fx_tracing_flag_is_true_under_non_strict_export_only():
    src = model("if is_fx_tracing():\n    return x * 0\nreturn x\n",
                extra="from torch.fx._symbolic_trace import is_fx_tracing\n")
    assert lint(src) == [(6, "EXP301")]
    assert lint(src, strict=True) == []


# EXP201 module-attribute-mutation: state kept for the user, not per-call scratch ----------
def test_exp201_silent_on_plain_values_the_class_reads_back_in_the_same_code():
    # swin's window shift, big_bird's attention type (transformers 5.24.0): recomputed and read each call
    body = """\
        self.shift = 0
        self.mode = "full"
        self.size = x.shape[1]
        if self.mode == "full":
            x = torch.roll(x, self.shift + self.size, dims=1)
        return x
        """
    assert lint(model(body)) == []


def test_exp201_reports_tensors_and_plain_values_nobody_reads():
    body = """\
        self.last_len = x.shape[1]
        self.last = x.mean()
        self.seen = self.seen + 1
        return x
        """
    assert lint(model(body)) == [(5, "EXP201"), (6, "EXP201"), (7, "EXP201")]


def test_exp201_leaves_a_new_nn_buffer_to_exp139():
    # m2m_100's regrown position table: strict fails (EXP139), non-strict keeps the module's buffer
    body = "self.table = nn.Buffer(torch.zeros(4))\nreturn x\n"
    assert lint(model(body)) == []


def test_transformers_torch_int_and_jit_tracing_ternaries_are_python_values_under_export():
    extra = "from transformers.utils import torch_int\n"
    body = """\
        self.shift = torch_int(0)
        self.window = torch.min(torch.tensor([4, 4])) if torch.jit.is_tracing() else min(4, 4)
        return torch.roll(x, self.shift + self.window, dims=1)
        """
    assert lint(model(body, extra=extra)) == []


def test_exp201_silent_on_a_window_size_from_an_int_tuple_the_class_reads_back():
    # swin's set_shift_and_window_size (modeling_swin.py:580): the jit-tracing side never runs under export
    extra = "\nclass W(nn.Module):\n    def resize(self, resolution: tuple[int, int]):\n" + (
        "        self.window = torch.min(torch.tensor(resolution)) if torch.jit.is_tracing() else min(resolution)\n"
        "        return self.window\n\n    def forward(self, x):\n        return x * self.resize((2, 3))\n\n\n"
    )
    assert lint(model("return x\n", extra=extra)) == []
    untyped = extra.replace("resolution: tuple[int, int]", "resolution")
    # donut's copy (modeling_donut_swin.py:515): unannotated, its caller passes a tuple
    assert lint(model("return x\n", extra=untyped)) == []
    given_a_tensor = untyped.replace("self.resize((2, 3))", "self.resize(x)")
    assert [code for _, code in lint(model("return x\n", extra=given_a_tensor))] == ["EXP201"]


def test_exp201_silent_on_an_attribute_the_class_keeps_none():
    # bridgetower (modeling_bridgetower.py:128): None in __init__, and None stays None here
    body = """\
        self.mask = self.mask.to(x.dtype) if self.mask is not None else None
        return x if self.mask is None else x * self.mask
        """
    assert lint(model(body, init="self.mask = None\n")) == []
    flipped = body.replace("self.mask.to(x.dtype) if self.mask is not None else None",
                           "None if self.mask is None else self.mask.to(x.dtype)")
    assert lint(model(flipped, init="self.mask = None\n")) == []
    assert lint(model(body, init="self.mask = torch.ones(4)\n")) == [(8, "EXP201")]
    assert lint(model(body.replace("else None", "else x"), init="self.mask = None\n")) == [(8, "EXP201")]


def test_exp201_silent_on_a_memo_the_function_returns_under_a_test_of_it():
    # wav2vec2-conformer's rotary table (modeling_wav2vec2_conformer.py:162), case near_miss_memoised_attribute
    body = """\
        if x.shape[1] == self.length and self.table is not None:
            return self.table
        self.length = x.shape[1]
        self.table = torch.arange(x.shape[1]).float().cos()
        self.last = x.sum()
        return x + self.table
        """
    # forward's body starts on line 9 (after a 2-line __init__): self.table is line 12, self.last 13
    assert lint(model(body, init="self.length = None\nself.table = None\n")) == [(13, "EXP201")]
    # an `if` that does not test the attribute, or that returns something else, makes no memo
    untested = body.replace("x.shape[1] == self.length and self.table is not None", "x.shape[1] == self.length")
    assert lint(model(untested, init="self.length = None\nself.table = None\n")) == [(12, "EXP201"), (13, "EXP201")]
    other = body.replace("            return self.table", "            return x")
    assert lint(model(other, init="self.length = None\nself.table = None\n")) == [(12, "EXP201"), (13, "EXP201")]


def test_exp201_reports_memos_and_scratch_where_strict_export_refuses_every_store():
    # strict export before torch 2.10 fails on `self.cached_length = length` too (measured:
    # near_miss_memoised_attribute, "Mutating module attribute cached_length during export")
    body = """\
        if x.shape[1] == self.length and self.table is not None:
            return self.table
        self.length = x.shape[1]
        self.table = torch.arange(x.shape[1]).float().cos()
        return x + self.table
        """
    source = model(body, init="self.length = None\nself.table = None\n")
    assert lint(source, torch="2.6", strict=True) == [(11, "EXP201"), (12, "EXP201")]
    assert lint(source, torch="2.6", strict=False) == []
    assert lint(source, torch="2.13", strict=True) == []


def test_exp201_silent_on_a_number_the_class_augments_and_reads_back():
    # funnel (modeling_funnel.py:303): `self.pooling_mult = 1` per call, then `*= 2`, read by the pooling
    body = """\
        self.mult = 1
        self.mult *= 2
        self.total += x.sum()
        return x * self.mult
        """
    source = model(body, init="self.mult = None\nself.total = 0\n")
    # forward's body starts on line 9: the number is scratch, the tensor added to an attribute is state
    assert lint(source) == [(11, "EXP201")]
    assert lint(source, torch="2.6", strict=True) == [(9, "EXP201"), (10, "EXP201"), (11, "EXP201")]
