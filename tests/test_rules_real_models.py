"""Rules for patterns of real models (EXP110-113, EXP210-216): where they fire, and where they stay silent.

Linting only: these tests never import torch or numpy.
"""

import textwrap

from exportlint.engine import lint_text

from conftest import settings


def lint(source, strict=False, torch="2.13"):
    found = lint_text(textwrap.dedent(source), "model.py", settings(target_torch=torch, strict=strict))
    return [(d.line, d.column, d.code) for d in found]


def codes(source, **kw):
    return sorted({c for _, _, c in lint(source, **kw)})


HEAD = "import numpy as np\nimport torch\nimport torch.nn.functional as F\n"


def model(body, extra="", init=""):
    """A module whose forward is ``body`` (indented 8), after HEAD; body starts on line 8 (+init lines)."""
    init_block = ""
    if init:
        init_block = "    def __init__(self):\n        super().__init__()\n" + textwrap.indent(
            textwrap.dedent(init), " " * 8
        )
    return (
        HEAD + extra + "\n\nclass M(torch.nn.Module):\n" + init_block + "    def forward(self, x):\n"
        + textwrap.indent(textwrap.dedent(body), " " * 8)
    )


# EXP110 tensor-to-numpy -------------------------------------------------------
def test_exp110_numpy_method_and_numpy_function_on_tensors():
    src = model(
        """\
        a = x.cpu().numpy()
        b = np.tanh(x)
        return x
        """
    )
    assert lint(src) == [(8, 13, "EXP110"), (9, 13, "EXP110")]


def test_exp110_is_silent_in_strict_where_dynamo_rewrites_numpy():
    assert "EXP110" not in codes(model("a = x.numpy()\nreturn x\n"), strict=True)


def test_exp110_silent_on_numpy_constants_and_module_level_numpy():
    src = model(
        "return x * np.sqrt(2.0) + np.pi\n",
        extra="TABLE = np.arange(6)\nT = torch.from_numpy(TABLE.numpy() if False else TABLE)\n",
    )
    assert lint(src) == []


# EXP111 / EXP210 numpy on sizes -------------------------------------------------
def test_exp111_float_ufunc_of_size():
    src = model("return x / np.sqrt(x.shape[-1])\n")
    assert lint(src) == [(8, 20, "EXP111")]


def test_exp111_reaches_through_local_names():
    src = model("d = x.size(1)\nscale = np.log2(d)\nreturn x * scale\n")
    assert lint(src) == [(9, 17, "EXP111")]


def test_exp210_integer_numpy_of_size():
    src = model(
        """\
        n = x.shape[1]
        a = np.lcm(n, 4)
        b = np.int64(n)
        c = np.zeros((n, 2))
        return x
        """
    )
    assert lint(src) == [(9, 13, "EXP210"), (10, 13, "EXP210"), (11, 13, "EXP210")]


def test_exp210_array_constructors_are_only_reported_in_non_strict():
    src = model("c = np.zeros((x.shape[1], 2))\nreturn x\n")
    assert codes(src, strict=True) == []
    assert codes(src, strict=False) == ["EXP210"]


def test_numpy_on_constants_and_config_is_silent():
    src = model(
        "return x * np.lcm(self.a, self.b) * np.sqrt(self.d) * np.int64(4)\n",
        init="self.a = 4\nself.b = 6\nself.d = 64\n",
    )
    assert lint(src) == []


def test_numpy_math_rule_follows_the_measurement_on_older_releases():
    """The sweep measured numpy_sqrt_of_size failing non-strict on 2.12.1 (and on
    every release from 2.5.1); the old hand rows kept the rule silent before 2.13."""
    assert codes(model("return x / np.sqrt(x.shape[-1])\n"), torch="2.12") == ["EXP111"]


# EXP211 loops over sizes -----------------------------------------------------------
def test_exp211_for_range_of_a_dim():
    src = model(
        """\
        for i in range(x.shape[1]):
            x = x + 1
        return x
        """
    )
    assert lint(src) == [(8, 18, "EXP211")]


def test_exp211_list_of_range_and_comprehension():
    src = model(
        """\
        seq_len = x.size(1)
        pos = torch.tensor(list(range(seq_len)))
        cols = [x[:, i] for i in range(0, seq_len, 2)]
        return pos
        """
    )
    assert lint(src) == [(9, 33, "EXP211"), (10, 34, "EXP211")]


def test_exp211_silent_on_constant_ranges():
    src = model(
        """\
        for i in range(self.num_layers):
            x = x + i
        for axis in range(x.dim()):
            x = x.mean(axis, keepdim=True)
        for j in range(len(x.shape)):
            x = x + j
        return x
        """,
        init="self.num_layers = 3\n",
    )
    assert lint(src) == []


# EXP212 branches on sizes ---------------------------------------------------------
def test_exp212_pad_size_branch():
    src = model(
        """\
        pad_size = (4 - x.shape[1] % 4) % 4
        if pad_size > 0:
            x = F.pad(x, (0, pad_size))
        return x
        """
    )
    assert lint(src) == [(9, 12, "EXP212")]


def test_exp212_narrowing_comparison_while_and_conditional_expression():
    src = model(
        """\
        n = x.shape[1]
        y = x[:, :4] if n > 4 else x
        i = 0
        while i < n:
            i += 1
        return y
        """
    )
    assert lint(src) == [(9, 25, "EXP212"), (11, 15, "EXP212")]


def test_exp212_silent_on_plain_dims_against_one_ranks_dtypes_training_and_validation():
    src = model(
        """\
        seq_len = x.shape[1]
        b, n = x.shape
        if seq_len > 1 and n != 1 and x.size(0) >= 2:
            x = x * 2
        if 1 < seq_len:
            x = x * 2
        if x.dim() == 2 and x.dtype == torch.float32:
            x = x + 1
        if self.training:
            x = x * 0.5
        if seq_len % 4 != 0:
            raise ValueError("length must be a multiple of 4")
        if seq_len > self.max_len:
            x = x[:, : self.max_len]
        return x
        """
    )
    assert lint(src) == []


def test_exp212_silent_on_dims_the_code_set_itself():
    # yoso (modeling_yoso.py:368): head_dim is self.head_size whatever x's shape (measured: exports with a
    # named Dim on the sequence, no range narrowed)
    body = """\
        b, n, _ = x.shape
        q = x.view(b, -1, self.heads, self.head_size).transpose(1, 2)
        batch, heads, seq, head_dim = q.size()
        if head_dim < 32:
            q = torch.cat([q, q.new_zeros(batch, heads, seq, 32 - head_dim)], dim=-1)
        return q
        """
    init = "self.heads = 2\nself.head_size = 16\n"
    assert lint(model(body, init=init)) == []
    from_config = "self.heads = config.heads\nself.head_size = int(config.hidden / config.heads)\n"  # yoso's
    assert lint(model(body, init=from_config)) == []
    # the sequence itself stays a symbolic size, and a view sized by it fixes nothing
    assert lint(model(body.replace("head_dim < 32", "seq < 32"), init=init)) == [(15, 12, "EXP212")]
    by_input = body.replace("self.head_size)", "n)").replace(".transpose(1, 2)", ".permute(0, 2, 1, 3)")
    assert lint(model(by_input.replace("head_dim < 32", "heads < 32"), init=init)) == []
    assert lint(model(by_input.replace("head_dim < 32", "seq < 32"), init=init)) == [(15, 12, "EXP212")]


def test_exp212_validation_with_and_is_reported():
    src = model(
        """\
        n = x.shape[1]
        if n % 2 != 0 and n > 8:
            raise ValueError("bad length")
        return x
        """
    )
    assert lint(src) == [(9, 12, "EXP212")]


# EXP112 module .to() in forward ------------------------------------------------------
def test_exp112_replaces_exp201_on_module_reassignment():
    src = model(
        """\
        self.router = self.router.to(torch.float64)
        self.cache = x
        return self.router(x)
        """,
        init="self.router = torch.nn.Linear(6, 4)\n",
    )
    assert lint(src) == [(11, 23, "EXP112"), (12, 9, "EXP201")]


def test_exp112_self_and_unassigned_casts():
    src = model("self.float()\nself.router.half()\nreturn x\n", init="self.router = torch.nn.Linear(6, 4)\n")
    assert lint(src) == [(11, 9, "EXP112"), (12, 9, "EXP112")]


def test_exp112_silent_on_tensor_casts_and_measured_on_older_releases():
    src = model(
        "w = self.router.weight.to(torch.float64)\nreturn x.float() + w.sum()\n",
        init="self.router = torch.nn.Linear(6, 4)\n",
    )
    assert lint(src) == []
    reassign = model(
        "self.router = self.router.to(torch.float64)\nreturn x\n", init="self.router = torch.nn.Linear(6, 4)\n"
    )
    # measured: module_to_in_forward fails non-strict on 2.9.1 (the old hand rows kept EXP112 silent before
    # 2.13, so EXP201 spoke); where EXP112 claims the line, EXP201 leaves it to it
    assert codes(reassign, torch="2.9") == ["EXP112"]


# EXP113 outputs ------------------------------------------------------------------------
CACHE = "\n\nclass Cache:\n    def __init__(self, k):\n        self.k = k\n"


def test_exp113_returned_instance_directly_and_through_a_name():
    src = model("cache = Cache(x)\nreturn x, cache, Cache(x)\n", extra=CACHE)
    assert lint(src) == [(14, 19, "EXP113"), (14, 26, "EXP113")]


def test_exp113_dataclass_is_reported_but_registered_classes_and_namedtuples_are_not():
    dataclass = "\nimport dataclasses\n\n@dataclasses.dataclass\nclass Out:\n    y: torch.Tensor\n"
    assert codes(model("return Out(x)\n", extra=dataclass)) == ["EXP113"]
    registered = dataclass + "\ntorch.export.register_dataclass(Out)\n"
    assert lint(model("return Out(x)\n", extra=registered)) == []
    pytree = CACHE + "\ntorch.utils._pytree.register_pytree_node(Cache, None, None)\n"
    assert lint(model("return Cache(x)\n", extra=pytree)) == []
    named = "\nfrom typing import NamedTuple\n\nclass Pair(NamedTuple):\n    a: torch.Tensor\n"
    assert lint(model("return Pair(x)\n", extra=named)) == []


def test_exp113_silent_for_external_bases_submodules_and_nested_functions():
    external = "\nfrom transformers.utils import ModelOutput\n\nclass Out(ModelOutput):\n    pass\n"
    assert lint(model("return Out(x)\n", extra=external)) == []
    layer = CACHE + (
        "\n\nclass Layer(torch.nn.Module):\n    def forward(self, x):\n        return Cache(x)\n"
        "\n\nclass Top(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.layer = Layer()\n"
        "\n    def forward(self, x):\n        return self.layer(x).k\n"
    )
    assert lint(HEAD + layer) == []
    nested = model("def make():\n    return Cache(x)\nreturn make().k\n", extra=CACHE)
    assert lint(nested) == []


# EXP213-216 side effects ---------------------------------------------------------------------
def test_exp213_random_numpy_random_and_clock():
    src = "import random\nimport time\n" + model(
        """\
        a = random.random()
        b = np.random.rand()
        t0 = time.perf_counter()
        return x * a * b
        """
    )
    found = lint(src)
    assert [c for _, _, c in found] == ["EXP213"] * 3
    assert [line for line, _, _ in found] == [10, 11, 12]


def test_exp213_fails_in_strict_and_specializes_in_non_strict():
    src = "import random\n" + model("return x * random.random()\n")
    strict = lint_text(textwrap.dedent(src), "m.py", settings(target_torch="2.13", strict=True))
    loose = lint_text(textwrap.dedent(src), "m.py", settings(target_torch="2.13", strict=False))
    assert strict[0].severity.value == "error" and loose[0].severity.value == "warning"


def test_exp213_silent_when_only_training_draws():
    src = "import random\n" + model(
        """\
        if self.training and random.random() < 0.1:
            return x
        if self.training:
            x = x * random.uniform(0.9, 1.1)
        return x
        """
    )
    assert lint(src) == []


def test_exp214_environment_reads():
    src = "import os\n" + model(
        """\
        a = os.environ.get("A")
        b = os.getenv("B")
        c = os.environ["C"]
        d = "D" in os.environ
        return x
        """
    )
    assert [c for _, _, c in lint(src)] == ["EXP214"] * 4


def test_exp214_silent_in_init():
    src = "import os\n" + model("return x * self.scale\n", init='self.scale = float(os.environ.get("S", "1"))\n')
    assert lint(src) == []


def test_exp215_print_and_logging_of_tensor_values():
    src = "import logging\nlogger = logging.getLogger(__name__)\n" + model(
        """\
        print("mean", x.mean())
        print(f"x={x}")
        logger.warning("max %s", x.max().item())
        logging.info("sum %s", x.sum())
        return x
        """
    )
    assert [c for _, _, c in lint(src)] == ["EXP215"] * 4


def test_exp215_silent_on_messages_without_tensor_values():
    src = "import logging\nlogger = logging.getLogger(__name__)\n" + model(
        """\
        print("forward", x.shape, x.dtype)
        logger.warning("this path is deprecated")
        print(f"rank {x.dim()}")
        return x
        """
    )
    assert lint(src) == []


def test_exp216_global_and_module_container_writes():
    src = model(
        """\
        global CALLS
        CALLS += 1
        _CACHE[x.shape[0]] = x
        SEEN.append(x)
        return x
        """,
        extra="CALLS = 0\n_CACHE = {}\nSEEN = []\n",
    )
    assert lint(src) == [(12, 9, "EXP216"), (13, 9, "EXP216"), (14, 9, "EXP216")]


def test_exp216_silent_on_reads_and_locals():
    src = model(
        """\
        seen = []
        seen.append(x)
        cache = {}
        cache["x"] = x
        return x * SCALES["a"] + seen[0] + cache["x"]
        """,
        extra="SCALES = {'a': 2.0}\n",
    )
    assert lint(src) == []


def test_code_outside_forward_is_not_checked():
    src = "import random\nimport os\n" + model(
        "return x\n",
        init="self.seed = random.random()\nself.n = np.sqrt(4)\n",
    ) + "\n\ndef helper(x):\n    print(x.mean())\n    return np.int64(x.shape[0])\n"
    assert lint(src) == []


def test_branch_on_plain_dims_stays_silent():
    """Head and channel checks compare plain dims, usually static ones: no finding."""
    source = """\
import torch


class Attention(torch.nn.Module):
    def forward(self, q, k):
        num_q_heads, num_k_heads = q.shape[2], k.shape[2]
        if num_q_heads != num_k_heads:
            k = k.repeat_interleave(num_q_heads // num_k_heads, dim=2)
        if q.size(-1) == 64:
            q = q * 0.125
        return q @ k.transpose(-1, -2)
"""
    from exportlint.engine import lint_text
    from conftest import settings

    assert [d.code for d in lint_text(source, "m.py", settings(target_torch="2.13"))] == []


def test_exp213_silent_on_a_draw_read_only_where_eval_short_circuits_in_non_strict():
    # wav2vec2's layerdrop (modeling_wav2vec2.py:849; recall model f7_layerdrop_draw_in_eval):
    # non-strict exports the eager program in eval mode, strict fails on the comparison
    body = """\
        p = np.random.random()
        if not self.training or p > 0.1:
            x = x + 1
        q = np.random.random()
        if self.training and q > 0.5:
            x = x * 2
        return x
        """
    assert lint(model(body)) == []
    strict = lint_text(textwrap.dedent(model(body)), "m.py", settings(target_torch="2.13", strict=True))
    assert [(d.line, d.code) for d in strict] == [(8, "EXP213"), (11, "EXP213")]
    read = model("p = np.random.random()\nif not self.training or p > 0.1:\n    x = x + 1\nreturn x * p\n")
    assert [c for _, _, c in lint(read)] == ["EXP213"]
