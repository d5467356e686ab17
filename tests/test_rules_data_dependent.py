"""The data-dependent rules (EXP103-EXP109, EXP203) on model-like sources:
where they report, and the near misses they must leave alone."""

import textwrap

import libcst as cst
import pytest

from exportlint.engine import lint_text
from exportlint.analysis.imports import ImportTable
from exportlint.analysis.kinds import Classifier, DataDependentLengths, Kind, Scope

from conftest import settings

STRICT = settings(target_torch="2.13", strict=True)
NON_STRICT = settings(target_torch="2.13", strict=False)


OURS = {"EXP103", "EXP104", "EXP105", "EXP106", "EXP107", "EXP108", "EXP109", "EXP203"}


def findings(source, target=NON_STRICT, code=None):
    """(line, column, code) of this family's findings (other rules have their own tests)."""
    found = lint_text(textwrap.dedent(source), "model.py", target)
    return [(d.line, d.column, d.code) for d in found if d.code in OURS and (code is None or d.code == code)]


def model(body, init=""):
    """A module whose forward is ``body`` (and __init__ ``init``), as in real model files."""
    source = "import torch\nimport torch.nn.functional as F\n\n\nclass Layer(torch.nn.Module):\n"
    if init:
        source += "    def __init__(self):\n        super().__init__()\n" + textwrap.indent(
            textwrap.dedent(init), " " * 8
        )
    return source + textwrap.indent(textwrap.dedent(body), "    ")


# EXP103 tensor-condition ---------------------------------------------------------
def test_a_parameter_indexed_by_a_string_is_a_mapping_not_a_tensor():
    # diffusers' AnyFlow rope (transformer_anyflow.py:368): its forward takes a dict of sizes
    source = model("""
        def forward(self, cfg, x):
            frames, height = cfg["frames"], cfg["shape"][0]
            if min(frames, height) <= 0:
                return x
            if x[0].sum() > 0:
                return x * 2
            return x
    """)
    assert findings(source, STRICT) == [(11, 12, "EXP103")]  # the tensor test alone


def test_if_on_a_reduced_mask_is_reported_at_the_test():
    source = model("""
        def forward(self, scores, mask):
            if (mask == 0).any():
                scores = scores.masked_fill(mask == 0, -1e4)
            return scores
    """)
    assert findings(source, STRICT) == [(8, 12, "EXP103")]


def test_a_tensor_test_behind_a_dtype_guard_says_for_which_dtype():
    # measured: float32 exports, float16 fails (tests/recall/models/f1_isfinite_under_fp16_guard.py)
    source = model("""
        def forward(self, h):
            if h.dtype == torch.float16 and not torch.isfinite(h).all():
                h = h.clamp(-1e4, 1e4)
            if not torch.isfinite(h).all():
                h = h * 0
            return h
    """)
    found = [d for d in lint_text(source, "model.py", NON_STRICT) if d.code == "EXP103"]
    assert [d.line for d in found] == [8, 10]  # the two ifs
    assert "reached only when `h.dtype == torch.float16`" in found[0].message
    assert "reached only" not in found[1].message


def test_while_on_a_tensor_norm_is_reported():
    source = model("""
        def forward(self, x):
            while x.abs().sum() > 10:
                x = x / 2
            return x
    """)
    assert findings(source) == [(8, 15, "EXP103")]


def test_and_of_tensors_outside_a_test_is_reported_at_the_first_operand():
    source = model("""
        def forward(self, x, y):
            both = x.any() and y.any()
            return x * both
    """)
    assert findings(source, STRICT) == [(8, 16, "EXP103")]


def test_not_inside_an_if_gives_one_finding():
    source = model("""
        def forward(self, x, m):
            if not m.any() or x.sum() > 0:
                return x
            return x * 2
    """)
    assert findings(source) == [(8, 16, "EXP103")]


def test_tensor_test_in_a_comprehension_is_reported():
    source = model("""
        def forward(self, x):
            rows = [r for r in x if r.sum() > 0]
            return torch.stack(rows)
    """)
    assert findings(source, code="EXP103") == [(8, 33, "EXP103")]


def test_is_none_checks_and_python_flags_are_silent():
    source = model("""
        def forward(self, hidden, attention_mask=None, output_attentions=None, use_cache: bool = False):
            if attention_mask is not None and self.training:
                hidden = hidden * attention_mask
            if output_attentions or use_cache:
                return hidden, hidden
            return hidden
    """)
    assert findings(source) == []


def test_branching_on_shapes_is_not_data_dependent():
    source = model("""
        def forward(self, x):
            if x.dim() == 3 and x.shape[-1] % 2 == 0:
                x = x.flatten(1)
            return x
    """)
    assert findings(source) == []


def test_torch_where_and_torch_cond_are_silent():
    source = model("""
        def forward(self, x):
            x = torch.where(x.sum(-1, keepdim=True) > 0, x, -x)
            return torch.cond(x.sum() > 0, lambda t: t.exp(), lambda t: t.clone(), (x,))
    """)
    assert findings(source) == []


def test_tensor_branching_in_a_method_forward_never_calls_is_silent():
    source = model("""
        def forward(self, x):
            return x * 2

        def debug(self, x):
            if x.isnan().any():
                print("nan")
            return x
    """)
    assert findings(source) == []


# EXP104 data-dependent-condition --------------------------------------------------
def test_if_on_an_item_is_reported_in_both_modes():
    source = model("""
        def forward(self, hidden, is_index_global_attn):
            is_global_attn = is_index_global_attn.flatten().any().item()
            if is_global_attn:
                hidden = hidden * 2
            return hidden
    """)
    assert findings(source, STRICT) == findings(source, NON_STRICT) == [(9, 12, "EXP104")]


def test_if_on_an_item_sum_comparison_is_reported():
    source = model("""
        def forward(self, hidden, attention_mask):
            if attention_mask.sum().item() < hidden.shape[1]:
                hidden = hidden[:, :-1]
            return hidden
    """)
    assert findings(source, code="EXP104") == [(8, 12, "EXP104")]


def test_a_test_the_checks_decide_is_silent():
    source = model("""
        def forward(self, level, x):
            v = level.item()
            torch._check(v >= 0)
            torch._check(v <= 9)
            if v < 10:
                return x.exp()
            return x.log()
    """)
    assert findings(source) == []


def test_checks_that_do_not_decide_the_test_do_not_silence_it():
    source = model("""
        def forward(self, k, x):
            n = k.item()
            torch._check_is_size(n)
            torch._check(n <= x.shape[0])
            if n > 4:
                return x * 2
            return x
    """)
    assert findings(source) == [(11, 12, "EXP104")]


def test_assert_on_an_item_value_is_silent():
    source = model("""
        def forward(self, k, x):
            assert k.item() > 0, "k must be positive"
            return x * 2
    """)
    assert findings(source) == []


# EXP105 tensor-attribute-condition ------------------------------------------------
def test_if_on_a_registered_buffer_is_reported():
    source = model("""
        def forward(self, x):
            if self.stride > 1:
                x = x[:, ::2]
            return x
    """, init='self.register_buffer("stride", torch.tensor(2))\n')
    assert findings(source) == [(11, 12, "EXP105")]


def test_if_on_a_parameter_item_is_the_attribute_rule_not_the_item_rule():
    source = model("""
        def forward(self, x):
            if self.gate.item() > 0:
                x = x * 2
            return x
    """, init="self.gate = torch.nn.Parameter(torch.tensor(1.0))\n")
    assert [f[2] for f in findings(source)] == ["EXP105"]


def test_if_on_a_python_number_attribute_is_silent():
    source = model("""
        def forward(self, x):
            if self.stride > 1:
                x = x[:, ::2]
            return x
    """, init="self.stride = 2\n")
    assert findings(source) == []


# EXP106 data-dependent-loop -------------------------------------------------------
def test_loop_over_nonzero_rows_is_reported_at_the_iterable():
    source = model("""
        def forward(self, expert_mask, hidden):
            expert_hit = torch.greater(expert_mask.sum(dim=(-1, -2)), 0).nonzero()
            for expert_idx in expert_hit:
                hidden = hidden + expert_idx
            return hidden
    """)
    assert findings(source) == [(9, 27, "EXP106")]


def test_loop_over_range_of_an_item_is_reported():
    source = model("""
        def forward(self, x, steps):
            for _ in range(steps.item()):
                x = x * 0.5
            return x
    """)
    assert findings(source, STRICT) == [(8, 18, "EXP106")]


def test_loop_over_unique_labels_in_a_comprehension_is_reported():
    source = model("""
        def forward(self, x, labels):
            return torch.stack([x[labels == c].mean(0) for c in labels.unique()])
    """)
    assert findings(source) == [(8, 61, "EXP106")]


def test_loop_over_a_static_length_tolist_is_silent():
    source = model("""
        def forward(self, x, scales):
            for s in scales.tolist():
                x = x * s
            return x
    """)
    assert findings(source) == []


def test_loop_over_the_rows_of_an_input_is_silent():
    source = model("""
        def forward(self, x):
            out = []
            for row in x:
                out.append(row.sum())
            return torch.stack(out)
    """)
    assert findings(source) == []


# EXP107 python-number-from-data ---------------------------------------------------
def test_int_of_an_input_tensor_is_reported_for_non_strict():
    source = model("""
        def forward(self, x, k: torch.Tensor):
            return x * int(k)
    """)
    assert findings(source, NON_STRICT) == [(8, 20, "EXP107")]


def test_int_of_an_unannotated_input_is_silent_it_may_be_a_python_int():
    source = model("""
        def forward(self, x, k):
            return x * int(k)
    """)
    assert findings(source, NON_STRICT) == []


def test_int_of_an_input_tensor_is_silent_for_strict():
    source = model("""
        def forward(self, x, k):
            return x * int(k)
    """)
    assert findings(source, STRICT) == []


def test_len_of_a_masked_selection_is_reported():
    source = model("""
        def forward(self, x):
            positive = x[x > 0]
            return positive.sum() / len(positive)
    """)
    assert findings(source) == [(9, 33, "EXP107")]


def test_len_of_an_input_and_int_of_a_size_are_silent():
    source = model("""
        def forward(self, x):
            n = int(x.shape[0])
            return x * len(x) * n
    """)
    assert findings(source) == []


def test_int_inside_an_if_test_is_left_to_the_condition_rule():
    source = model("""
        def forward(self, x, k):
            if int(k) > 4:
                return x * 2
            return x
    """)
    assert [f[2] for f in findings(source)] == ["EXP104"]


# EXP108 data-dependent-module-index ----------------------------------------------
def test_module_list_indexed_with_an_argmax_is_reported():
    source = model("""
        def forward(self, hidden):
            choice = self.router(hidden.mean(0)).argmax()
            return self.experts[choice](hidden)
    """, init=(
        "self.router = torch.nn.Linear(8, 3)\n"
        "self.experts = torch.nn.ModuleList([torch.nn.Linear(8, 8) for _ in range(3)])\n"
    ))
    assert findings(source) == [(13, 16, "EXP108")]


def test_module_list_indexed_with_a_python_loop_counter_is_silent():
    source = model("""
        def forward(self, hidden):
            for i in range(3):
                hidden = self.experts[i](hidden)
            return hidden
    """, init="self.experts = torch.nn.ModuleList([torch.nn.Linear(8, 8) for _ in range(3)])\n")
    assert findings(source) == []


# EXP109 tensor-assert -------------------------------------------------------------
def test_assert_on_a_tensor_is_reported_for_non_strict():
    source = model("""
        def forward(self, counts):
            assert (counts >= 0).all(), "counts must be non-negative"
            return counts.log1p()
    """)
    assert findings(source, NON_STRICT) == [(8, 16, "EXP109")]


def test_assert_on_a_tensor_is_silent_for_strict():
    source = model("""
        def forward(self, counts):
            assert (counts >= 0).all(), "counts must be non-negative"
            return counts.log1p()
    """)
    assert findings(source, STRICT) == []


def test_assert_on_a_shape_is_silent():
    source = model("""
        def forward(self, x):
            assert x.shape[-1] == 8, "bad width"
            return x
    """)
    assert findings(source) == []


# EXP203 assume-constant-result ---------------------------------------------------
def test_assume_constant_result_helper_called_on_a_tensor_is_reported_for_strict():
    source = """\
import torch
import torch._dynamo as torchdynamo


class Layer(torch.nn.Module):
    @torchdynamo.assume_constant_result
    def get_item(self, y):
        return y.int().item()

    def forward(self, x, y):
        return x[: self.get_item(y)]
"""
    assert findings(source, STRICT) == [(11, 20, "EXP203")]


def test_assume_constant_result_helper_without_tensor_arguments_is_silent():
    source = """\
import torch


class Layer(torch.nn.Module):
    @torch.compiler.assume_constant_result
    def width(self):
        return 4

    def forward(self, x):
        return x[:, : self.width()]
"""
    assert findings(source, STRICT) == []


# The classifier's data-dependent lengths -----------------------------------------
def _length_of(expr, bindings=()):
    imports = ImportTable()
    imports.add_import(cst.parse_statement("import torch").body[0])
    classifier = Classifier(imports, lambda attr: Kind.UNKNOWN)
    scope = Scope()
    scope.names.update(x=Kind.TENSOR, m=Kind.TENSOR)
    lengths = DataDependentLengths()
    for line in bindings:
        assign = cst.parse_statement(line).body[0]
        lengths.bind(assign.targets[0].target, assign.value, classifier, scope)
        scope.names[assign.targets[0].target.value] = classifier.kind(assign.value, scope)
    return lengths.has_data_dependent_length(cst.parse_expression(expr), classifier, scope)


@pytest.mark.parametrize(
    "expr", ["x.nonzero()", "torch.unique(x)", "x[x > 0]", "torch.where(m)[0]", "x.nonzero()[:, 0]"]
)
def test_selections_by_data_have_a_data_dependent_length(expr):
    assert _length_of(expr)


@pytest.mark.parametrize("expr", ["x[0]", "x[:, 0]", "x.sum(0)", "x.nonzero()[0]"])
def test_ordinary_indexing_keeps_a_known_length(expr):
    assert not _length_of(expr)


def test_a_mask_bound_to_a_name_still_selects_by_data():
    assert _length_of("x[keep]", ["keep = torch.isnan(x) | (x < 0)"])
