"""EXP138 (an optional input's default filled only when not compiling) and EXP140
(a NumPy result tested for truth, strict): where they report, and the near
misses they leave alone. Linting only: the measured forms are the catalog cases
none_input_fill_skipped, numpy_value_branch and numpy_value_if."""

import textwrap

from exportlint.engine import lint_text

from conftest import settings

STRICT = settings(target_torch="2.13", strict=True)
NON_STRICT = settings(target_torch="2.13", strict=False)


def found(source, target=NON_STRICT, codes=("EXP138", "EXP140")):
    result = lint_text(textwrap.dedent(source), "model.py", target)
    return [(d.line, d.code) for d in result if d.code in codes]


HEAD = "import numpy as np\nimport torch\nfrom transformers.utils import is_torchdynamo_compiling\n\n\n"


def forward(body, params="x, mask=None", extra=""):
    """A module whose forward has ``body``: `def forward` is line 7 (+ lines of extra)."""
    return (
        HEAD + extra + "class M(torch.nn.Module):\n"
        + f"    def forward(self, {params}):\n" + textwrap.indent(textwrap.dedent(body), " " * 8)
    )


FILL = "if mask is None and not is_torchdynamo_compiling():\n    mask = torch.ones(x.shape[0], x.shape[1])\n"


# EXP138 none-input-fill-skipped ----------------------------------------------------
def test_exp138_index_attribute_and_operand_after_a_skipped_fill_in_both_modes():
    for use in ("m = mask[:, None, :]", "m = mask.to(x.dtype)", "m = 1.0 - mask"):
        source = forward(FILL + use + "\nreturn x * m\n")
        assert found(source) == [(10, "EXP138")], use
        assert found(source, STRICT) == [(10, "EXP138")], use


def test_exp138_torch_compiler_flags_and_a_keyword_only_parameter():
    fill = "if mask is None and not torch.compiler.is_exporting():\n    mask = torch.ones_like(x)\n"
    assert found(forward(fill + "return x * mask[:, :]\n", params="x, *, mask=None")) == [(10, "EXP138")]


def test_exp138_one_finding_per_parameter_at_the_first_use():
    source = forward(FILL + "a = mask[:, 0]\nb = mask[:, 1]\nreturn x * a * b\n")
    assert found(source) == [(10, "EXP138")]


def test_exp138_silent_when_the_fill_runs_under_export():
    fill = "if mask is None:\n    mask = torch.ones(x.shape[0], x.shape[1])\n"
    assert found(forward(fill + "return x * mask[:, :]\n")) == []


def test_exp138_silent_on_uses_the_code_guards_or_hands_on():
    guarded = [
        "if mask is not None:\n    x = x * mask[:, :]\nreturn x\n",
        "m = mask[:, :] if mask is not None else 1.0\nreturn x * m\n",
        "return x * (mask is not None and mask.sum())\n",
        "assert mask is not None\nreturn x * mask[:, :]\n",
        "return helper(x, mask)\n",  # a callee that tests it exports (measured)
        "mask = make_mask(x)\nreturn x * mask[:, :]\n",
    ]
    for body in guarded:
        assert found(forward(FILL + body)) == [], body


def test_exp138_silent_without_a_none_default_or_outside_traced_code():
    assert found(forward(FILL + "return x * mask[:, :]\n", params="x, mask")) == []
    untraced = HEAD + "def prepare(x, mask=None):\n" + textwrap.indent(FILL + "return x * mask[:, :]\n", "    ")
    assert found(untraced) == []


def test_exp138_silent_when_the_skipped_branch_fills_another_name():
    fill = "if mask is None and not is_torchdynamo_compiling():\n    other = torch.ones_like(x)\n"
    assert found(forward(fill + "return x * mask[:, :]\n")) == []


# EXP140 numpy-value-branch ----------------------------------------------------------
def test_exp140_if_on_np_lcm_strict_only():
    source = forward("n = np.lcm(4, 6)\nif x.shape[-1] % n != 0:\n    return x + 1\nreturn x\n", params="x")
    assert found(source, STRICT) == [(9, "EXP140")]
    assert found(source, NON_STRICT) == []


def test_exp140_helper_returning_np_lcm_on_one_path_and_an_and_operand():
    helper = (
        "def multiple(kinds, a, b):\n    if len(set(kinds)) == 1:\n        return a\n"
        "    return np.lcm(a, b)\n\n\n"
    )
    body = "n = multiple(['a', 'b'], 4, 6)\npad = x.shape[-1] % n != 0 and x.shape[-1] > 4\nreturn x * pad\n"
    assert found(forward(body, params="x", extra=helper), STRICT) == [(15, "EXP140")]


def test_exp140_silent_on_math_lcm_scaling_unmeasured_numpy_and_rebound_names():
    silent = [
        "n = math.lcm(4, 6)\nif x.shape[-1] % n:\n    return x\nreturn x + 1\n",
        "return x / np.lcm(4, 6)\n",  # scaling exports in both modes (measured)
        "n = np.sqrt(16)\nif n > 3:\n    return x\nreturn x + 1\n",  # only np.lcm was measured
        "n = np.lcm(4, 6)\nn = 12\nif x.shape[-1] % n:\n    return x\nreturn x + 1\n",
        "n = np.lcm(4, 6)\nif check(n):\n    return x\nreturn x + 1\n",  # a call's result, not the value
    ]
    for body in silent:
        assert found(forward(body, params="x", extra="import math\n\n\n"), STRICT) == [], body


HELPERS = '''\
def split_blocks(x, n):
    if x.shape[1] % n != 0:
        x = torch.nn.functional.pad(x, (0, 1))
    return x


def checked_blocks(x, n):
    if x is None:
        return None
    return x[:, :n]


def local_mask(mask, n):
    return split_blocks(mask, n)


'''


def test_exp138_follows_the_none_into_helpers_and_reports_their_first_use():
    # LongT5: the mask goes through _get_local_attention_mask to _split_into_blocks (modeling_longt5.py:111)
    source = forward(FILL + "return x * local_mask(mask, 4)\n", extra=HELPERS)
    assert found(source) == [(7, "EXP138")]
    assert "the caller's `mask` is left out" in lint_text(source, "model.py", NON_STRICT)[0].message


def test_exp138_silent_on_helpers_that_test_for_none_or_get_another_value():
    assert found(forward(FILL + "return x * checked_blocks(mask, 4)\n", extra=HELPERS)) == []
    assert found(forward(FILL + "return x * split_blocks(x, 4)\n", extra=HELPERS)) == []
