"""Shortcuts taken before the analysis: they must answer as the slow way does."""

import re

import libcst as cst
import pytest

from exportlint.analysis.site_data import may_hold_export_site
from exportlint.parse import parse_source

TRICKY = (
    "# -*- coding: utf-8 -*-\n"
    "import torch\n"
    "x = f'{a!r:>{width}}' '''doc\n''' u''\n"
    "y = rb'\\x00' br''\n"
    "lambda *args, key=1, **kw: (yield)\n"
    "async def f(a, /, b, *, c): await g(a @ b if c else -~a)\n"
    "class M(torch.nn.Module):\n"
    "\tdef forward(self, x):  # tab indent\r\n"
    "\t\treturn x[..., ::2] ** 2\n"
)


def test_the_unchecked_parse_builds_the_same_tree():
    assert parse_source(TRICKY).deep_equals(cst.parse_module(TRICKY))
    assert parse_source(TRICKY).code == TRICKY


@pytest.mark.parametrize("text", ["x = 'a' b'b'\n", "x = f'a' rb'b'\n", "x = b'a' rb'c' 'd'\n"])
def test_string_and_bytes_concatenated_is_still_a_parse_error(text):
    with pytest.raises(cst.CSTValidationError):  # the grammar accepts it; CPython does not
        parse_source(text)
    assert "__post_init__" not in cst.ConcatenatedString.__dict__


def test_validation_of_nodes_built_by_hand_is_back_after_a_parse():
    parse_source("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not an identifier")


def test_validation_is_back_after_a_parse_that_fails():
    with pytest.raises(cst.ParserSyntaxError):
        parse_source("def (:\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("1x")


# The text test before reading export sites, against the plain regex it replaced.
_WORD_BOUNDED = re.compile(r"\b(?:export|export_for_training|draft_export)\s*\(")


@pytest.mark.parametrize("text, expected", [
    ("torch.export.export(m, args)", True),
    ("from torch.export import export\nep = export (m, args)", True),
    ("torch.export.export_for_training(m, a)", True),
    ("from torch.export._draft_export import draft_export\ndraft_export(m, a)", True),
    ("torch\nexport\n(m)", True),
    ("torch\n_export(m)", False),
    ("torch\nxdraft_export(m)", False),
    ("torch\ndraft_export_for_training(m)", False),
    ("torch\nre_export_for_training(m)", False),
    ("torch\nif is_exporting(): pass", False),
    ("torch\ntorch.compiler.is_exporting()", False),
    ("export(m)  # no t-o-r-c-h in the file", False),
])
def test_export_call_prefilter(text, expected):
    assert may_hold_export_site(text) is expected
    assert expected is ("torch" in text and _WORD_BOUNDED.search(text) is not None)
