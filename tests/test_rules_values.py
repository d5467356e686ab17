"""Rules for values read out of tensors and sizes read from the data
(EXP114-EXP116, EXP217-EXP219): where they report, and the near misses they
leave alone. Linting only."""

import textwrap

from exportlint.engine import lint_text

from conftest import settings

STRICT = settings(target_torch="2.13", strict=True)
NON_STRICT = settings(target_torch="2.13", strict=False)


def found(source, target=NON_STRICT, codes=None):
    result = lint_text(textwrap.dedent(source), "model.py", target)
    return [(d.line, d.code) for d in result if codes is None or d.code in codes]


def model(body, init="", head="import math\n\nimport torch\n"):
    """forward is ``body``; `def forward` is line 8 (or after ``init``)."""
    source = head + "\n\nclass M(torch.nn.Module):\n"
    if init:
        source += "    def __init__(self):\n        super().__init__()\n"
        source += textwrap.indent(textwrap.dedent(init), " " * 8)
    return source + textwrap.indent(textwrap.dedent(body), "    ")


# EXP114 math-on-data -------------------------------------------------------------
def test_exp114_log_and_exp_of_item_in_both_modes():
    source = model("""
        def forward(self, x, t):
            top = x.max().item()
            return x * math.log(top) + math.exp(t.item())
    """)
    assert found(source, STRICT) == [(10, "EXP114"), (10, "EXP114")]
    assert found(source, NON_STRICT) == [(10, "EXP114"), (10, "EXP114")]


def test_exp114_sqrt_of_item_only_in_non_strict():
    source = model("""
        def forward(self, x):
            return x / math.sqrt(x.var().item())
    """)
    assert found(source, STRICT) == []
    assert found(source, NON_STRICT) == [(9, "EXP114")]


def test_exp114_silent_on_ceil_of_item_constants_and_sizes():
    source = model("""
        def forward(self, x, s):
            n = math.ceil(s.item())
            return x * n / math.sqrt(x.shape[-1]) * math.log(8)
    """)
    assert found(source, codes={"EXP114"}) == []


# EXP116 container-indexed-by-data -----------------------------------------------
def test_exp116_list_attribute_and_dict_indexed_with_item_or_tensor():
    source = model("""
        def forward(self, x, level: torch.Tensor, cls):
            table = {3: 0.1, 7: -0.2}
            return x * self.scales[level] + table[cls.item()]
    """, init="self.scales = [0.5, 1.0, 2.0]\n")
    assert found(source, codes={"EXP116"}) == [(13, "EXP116"), (13, "EXP116")]


def test_exp116_silent_on_constant_index_module_lists_and_bare_parameters():
    source = model("""
        def forward(self, x, level):
            y = self.layers[0](x) * self.scales[self.level]
            return y * self.scales[level]
    """, init="self.scales = [0.5, 1.0]\nself.level = 1\nself.layers = torch.nn.ModuleList([torch.nn.Identity()])\n")
    assert found(source, codes={"EXP116"}) == []


# EXP115 data-dependent-size-condition ---------------------------------------------
def test_exp115_tests_on_nonzero_mask_and_where_sizes():
    source = model("""
        def forward(self, x):
            idx = torch.nonzero(x > 0)
            if idx.shape[0] == 0:
                return x
            kept = x[x > 1]
            n = len(kept)
            scale = 2.0 if n > 3 else 1.0
            rows = torch.where(x > 2)[0]
            while rows.numel() < 2:
                break
            return x * scale
    """)
    assert found(source, STRICT, {"EXP115"}) == [(10, "EXP115"), (14, "EXP115"), (16, "EXP115")]


def test_exp115_silent_on_arithmetic_static_dims_and_checked_tests():
    source = model("""
        def forward(self, x):
            idx = torch.nonzero(x > 0)
            n = idx.shape[0]
            torch._check(n >= 0)
            if n >= 0 and idx.shape[1] == 2:
                return idx[: n // 2]
            if x.shape[0] > 2:
                return torch.zeros(n * 2)
            return idx
    """)
    assert found(source, STRICT, {"EXP115"}) == []


# EXP217 size-membership-test -------------------------------------------------------
def test_exp217_in_and_not_in_tests_of_sizes():
    source = model("""
        def forward(self, x):
            if x.shape[1] in [4, 8]:
                x = x * 2
            return x if x.size(0) not in (1, 3) else -x
    """)
    assert found(source, codes={"EXP217"}) == [(9, "EXP217"), (11, "EXP217")]


def test_exp217_silent_on_constants_and_strings():
    source = model("""
        def forward(self, x, mode: str = "a"):
            if mode in ("a", "b") and x.ndim in (2, 3):
                return x
            return -x
    """)
    assert found(source, codes={"EXP217"}) == []


# EXP218 container-indexed-by-size ----------------------------------------------------
def test_exp218_list_indexed_with_a_size():
    source = model("""
        def forward(self, x):
            bias = [0.0, 0.1, 0.2, 0.3]
            return x * self.table[x.shape[1]] + bias[len(x)]
    """, init="self.table = [float(i) for i in range(16)]\n")
    assert found(source, codes={"EXP218"}) == [(13, "EXP218"), (13, "EXP218")]


def test_exp218_silent_on_tensor_tables_and_constant_indices():
    source = model("""
        def forward(self, x):
            return x * self.table[x.shape[1]] * self.scales[-1]
    """, init="self.register_buffer('table', torch.ones(16))\nself.scales = [1.0, 2.0]\n")
    assert found(source, codes={"EXP218"}) == []


# EXP219 tensor-as-sequence ---------------------------------------------------------
def test_exp219_loops_and_comprehensions_over_tensors():
    source = model("""
        def forward(self, x, h: torch.Tensor, pair):
            for t in pair:
                x = x + t
            y = torch.stack([r * 2 for r in x.relu()])
            for row in h:
                y = y + row
            return y
    """)
    assert found(source, codes={"EXP219"}) == [(11, "EXP219"), (12, "EXP219")]


def test_exp219_len_of_a_tensor_only_in_non_strict():
    source = model("""
        def forward(self, x):
            return x.sum(0) / len(x)
    """)
    assert found(source, STRICT, {"EXP219"}) == []
    assert found(source, NON_STRICT, {"EXP219"}) == [(9, "EXP219")]


def test_exp219_silent_on_containers_helper_parameters_and_range_len():
    source = model("""
        def forward(self, x, layers: list):
            for layer in layers:
                x = layer(x)
            for i in range(len(x)):
                x = x + i
            return self.helper((x, x))

        def helper(self, pair):
            return sum(t for t in pair)
    """)
    assert found(source, codes={"EXP219"}) == []


def test_exp219_silent_on_what_a_submodule_returned_and_on_a_dicts_items():
    # diffusers' Flux blocks: `attention_outputs = self.attn(...)`, then `if len(attention_outputs) == 2:
    # attn_output, context_attn_output = attention_outputs` (the processor returns a tuple);
    # FluxTransformer2DModel exports in all three settings on torch 2.13 (measured).
    source = model("""
        def forward(self, x):
            outputs = self.attn(x)
            if len(outputs) == 2:
                a, b = outputs
            for feature in self.projector(x):
                a = a + feature
            for name, loss in self.criterion(x).items():
                a = a + loss
            rows = x.relu()
            n = len(self.attn(x))
            return a + n + len(rows)
    """, init="""
        self.attn = torch.nn.Linear(4, 4)
        self.projector = torch.nn.Linear(4, 4)
        self.criterion = torch.nn.MSELoss()
    """)
    assert found(source, codes={"EXP219"}) == [(24, "EXP219")]  # len(rows): a tensor the code made


def test_exp219_len_as_a_list_length_in_strict():
    source = model("""
        def forward(self, x):
            weights = [1.0] * len(x)
            return x * torch.tensor(weights).unsqueeze(1) / len(x)
    """)
    assert found(source, STRICT, {"EXP219"}) == [(9, "EXP219")]


def test_exp115_repeat_interleave_with_tensor_repeats_but_not_int_repeats():
    source = model("""
        def forward(self, x, repeats):
            y = x.repeat_interleave(repeats, dim=0)
            z = torch.repeat_interleave(x, 2, dim=0)
            if z.shape[0] > 8:
                return z
            if y.shape[0] > 8:
                return y
            return z
    """)
    assert found(source, STRICT, {"EXP115"}) == [(13, "EXP115")]


def test_exp219_silent_on_tuples_of_tensors_from_split_and_chunk():
    source = model("""
        def forward(self, x):
            parts = x.split(2)
            y = sum(p.sum() for p in parts)
            return y + sum(c.mean() for c in torch.chunk(x, 2))
    """)
    assert found(source, codes={"EXP219"}) == []


def test_exp106_split_into_pieces_counted_from_the_data():
    source = model("""
        def forward(self, labels, x):
            _, counts = labels.unique(return_counts=True)
            parts = torch.split(x, counts.tolist())
            return x.split(counts.tolist())[0] + parts[0] + x.split([2, 2])[0]
    """)
    assert found(source, STRICT, {"EXP106"}) == [(10, "EXP106"), (11, "EXP106")]


# EXP101 round-symbolic-size: only the slice-bound use -----------------------------
def test_exp101_rounding_forms_as_slice_bounds_directly_or_through_a_name():
    source = model("""
        def forward(self, x):
            n = x.shape[1]
            keep = math.ceil(n / 4)
            return x[:, :keep] + x[:, round(n / 3):] + x[:, :int(n / 2)] + torch.arange(round(n * 0.5))
    """)
    assert found(source, codes={"EXP101"}) == [(10, "EXP101"), (11, "EXP101"), (11, "EXP101"), (11, "EXP101")]


def test_exp101_silent_on_multipliers_floor_division_and_integer_rounding():
    source = model("""
        def forward(self, x):
            n = x.shape[1]
            return x[:, :n // 3] * round(n / 3) * math.ceil(n / 4) + x[:, :round(n + 1)]
    """)
    assert found(source, codes={"EXP101"}) == []


def test_exp219_silent_on_the_pieces_of_chunk_split_and_unbind_even_sliced():
    # prophetnet's `for key in key_states.chunk(1 + ngram)[1:]` (transformers 5.24.0 modeling_prophetnet.py:664):
    # a tuple of tensors, as many as the arguments say; each piece is a tensor
    source = model("""
        def forward(self, x):
            pieces = x.chunk(3, dim=-1)[1:]
            y = torch.cat([p * 2 for p in pieces], -1)
            for part in torch.split(x, 2, dim=-1):
                y = y + part.sum()
            for first in x.unbind(0)[0]:
                y = y + first
            return y
    """)
    assert found(source, codes={"EXP219"}) == [(13, "EXP219")]


# EXP118 python-number-of-size ----------------------------------------------------
def test_exp118_says_where_a_grid_side_comes_from_only_for_a_square_root():
    source = model("""
        def forward(self, tokens):
            side = int(tokens.shape[1] ** 0.5)
            scale = float(tokens.shape[1])
            return tokens.reshape(tokens.shape[0], side, side, -1) / scale
    """)
    result = lint_text(textwrap.dedent(source), "model.py", NON_STRICT)
    messages = {d.line: d.message for d in result if d.code == "EXP118"}
    assert sorted(messages) == [9, 10]  # forward is line 8
    assert "a grid's side: take it from the input's shape" in messages[9]
    assert "grid" not in messages[10]
    # named Dims fail on a one-dim size; a product of Dims (the second case) is baked in instead
    assert "fails with a named Dim in some forms" in messages[10]
    assert "and in others exports with the example's size baked in" in messages[10]
    assert found(source, STRICT, codes=("EXP118",)) == []


# EXP141 as-tensor-of-sizes -------------------------------------------------------
def test_exp141_as_tensor_of_sizes_in_literals_and_in_lists_they_were_appended_to():
    source = model("""
        def forward(self, x):
            shapes = []
            for level in range(2):
                h, w = x.shape[2], x.shape[3]
                shape = (h, w)
                shapes.append(shape)
            levels = torch.as_tensor(shapes, dtype=torch.long)
            size = torch.as_tensor([(x.shape[2], x.shape[3])])
            kept = torch.tensor((x.shape[2], x.shape[3]))
            constants = torch.as_tensor([1, 2])
            names = []
            names.append("a")
            labels = torch.as_tensor(names)
            width = torch.as_tensor(x.shape[3], device=x.device)
            return levels, size, kept, constants, labels, width
    """)
    # forward is line 8: levels 14, size 15, a bare size 21; torch.tensor, constants and a list of
    # strings are silent
    assert found(source, NON_STRICT, codes=("EXP141",)) == [(14, "EXP141"), (15, "EXP141"), (21, "EXP141")]
    assert found(source, STRICT, codes=("EXP141",)) == [(14, "EXP141"), (15, "EXP141"), (21, "EXP141")]
