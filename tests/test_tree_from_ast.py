"""The tree built from CPython's ast is LibCST's parse, node for node and position for position.

tree_compare.differences compares every syntax field, every string and number as
LibCST keeps it, each expression's parentheses and each built node's span against
LibCST's PositionProvider. The samples below hold the layouts where the two parsers
place things apart (parentheses, tuples, generator arguments, comparisons, slices,
parameters, decorators, one-line suites, strings LibCST splits, non-ASCII text);
the whole of transformers/models and diffusers was checked the same way
(bench/README.md, "Trees built from ast").
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest

from conftest import settings
from exportlint import engine
from exportlint.cases import all_cases
from exportlint.tree_from_ast import build, in_use, source_code
from tree_compare import differences

ROOT = Path(__file__).resolve().parent.parent

SAMPLES = {
    "parentheses": """
        x = (y + 1)
        z = ((a)) * (b + (c))
        f((z))
        g((a), (b))
        w = (  # a comment inside
            a.b
        )
        if (x):
            pass
        return_value = (a, b)[0]
    """,
    "tuples": """
        a, b = c
        (a, b) = c
        t = (1, 2)
        u = (1,)
        v = 1,
        e = ()
        m = x[(1, 2)]
        n = x[1, 2]
        o = x[1, 2,]
        p = (
            first,
            second,
        )
        for i, j in pairs:
            pass
        (a), b = c, d
    """,
    "line_continuations": """
        x = 1 + \\
            2
        y = (a, \\
             b)
        if z and \\
                w:
            pass
    """,
    "generators_and_comprehensions": """
        s = sum(x for x in y)
        t = sum((x for x in y), 0)
        g = (x for x in y if x if not x)
        h = (
            x
            for x in y
        )
        l = [i * j for i in a for j in b if i]
        d = {k: v for k, v in items.items()}
        e = {k for k in a}
        f(*args, **kwargs)
        f(a, *b, c=1, *d, **e)
    """,
    "comparisons_and_operators": """
        a = b < c <= d
        e = f is not None and g not in h or not i
        j = -k + ~l ** 2 // 3 % 4 @ m
        n = (o < p) ^ (q >= r)
        s = t if u else v
        w += 1
        x @= y
        (z := 3)
        a = b and c and d
    """,
    "slices": """
        a = x[:]
        b = x[1:]
        c = x[:2]
        d = x[::2]
        e = x[1:2:3]
        f = x[1::]
        g = x[:2:]
        h = x[::]
        i = x[:, None, ..., -1]
        j = x[
            :, :n
        ]
        k = x[
            : y.shape[1], :
        ]
    """,
    "definitions": """
        import os, sys as system
        from . import a
        from ..b.c import (d as e, f)
        from g import *

        @decorator
        @decorator.with_args(1, key="v")
        class Model(torch.nn.Module, metaclass=Meta):
            attribute: int = 3

            def __init__(self, a, b: int = 1, *args, c, d=2, **kwargs) -> None:
                super().__init__()

            def forward(self, x, /, y, *, z: "torch.Tensor"):
                return x

            async def later(self, *, key):
                await thing
                yield key

        class Plain:
            pass

        def one_line(x): return x
        lam = lambda a, *b, c=1, **d: a
    """,
    "statements": """
        if a:
            pass
        elif b:
            pass
        else:
            if c:
                pass
        if d: e = 1; f = 2
        while g:
            break
        else:
            continue
        for h in i:
            pass
        else:
            pass
        try:
            pass
        except (ValueError, TypeError) as error:
            raise RuntimeError("x") from error
        except Exception:
            raise
        else:
            pass
        finally:
            pass
        with open(p) as handle, lock:
            pass
        global counter
        del a[0]
        del b
        del c, d[1]
        assert c, "message"
        x: int
        def outer():
            nonlocal_value = 1
            def inner():
                nonlocal nonlocal_value
            return inner
    """,
    "indentation": """
        try: pass
        finally:
         pass
        try:A
        except:A
        if x:  y = 1
        class A:
          pass
        def f():
         if x:
                 y = 1
         try:
           pass
         except E:
             pass
    """,
    "strings": '''
        a = "plain"
        b = 'single' "concatenated" r"raw"
        c = f"{x!r:>{width}} and {y.shape[0]}"
        d = (
            "over"
            "lines"
        )
        e = b"bytes" + rb"raw bytes"
        f = """triple
        quoted"""
        g = u"unicode"
        h = 1_000 + 0x1F + 1.5e3 + 2j
    ''',
    "non_ascii": """
        größe = x.shape[0]  # a name and a comment with umlauts
        beschreibung = "Größe: " + str(größe); y = (größe * 2)
        if größe > 2:
            z = größe
    """,
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_built_tree_is_libcsts_parse(name):
    assert differences(textwrap.dedent(SAMPLES[name])) == []


def test_the_catalog_and_this_projects_sources_build_as_libcst_parses_them():
    """Real code of many layouts: every case's bad and fixed model, and exportlint itself."""
    cases = all_cases().values()
    texts = [case.bad for case in cases] + [case.fixed for case in cases if case.fixed]
    texts += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "exportlint").rglob("*.py"))]
    found = {}
    for number, text in enumerate(texts):
        problems = differences(text)
        if problems and problems != ["not built"]:
            found[number] = problems[:3]
    assert found == {}
    assert sum(build(text) is not None for text in texts) > 0.9 * len(texts)


@pytest.mark.parametrize(
    "text",
    [
        "match x:\n    case 1:\n        pass\n",  # a statement the builder leaves to LibCST
        "if x:\n\ty = 1\n",  # a tab
        "x = 1\r\ny = 2\r\n",  # Windows newlines
        "def f(:\n",  # a syntax error: LibCST's parse words it
    ],
)
def test_texts_the_builder_declines_go_to_libcst(text):
    assert build(text) is None


MODEL = textwrap.dedent(
    """
    import torch

    class M(torch.nn.Module):
        def forward(self, x):
            n = (x.sum()  # a comment
                 .item())
            if n > 0:
                return x
            return -x
    """
)


def test_a_file_is_reported_the_same_from_either_tree(monkeypatch):
    """The engine's shortcut: the same findings, positions and messages as from LibCST's parse
    (the parse is forced by making the builder decline)."""
    chosen = settings(target_torch="2.13")
    built = engine.lint_text(MODEL, "m.py", chosen)
    monkeypatch.setattr(engine, "build", lambda text: None)
    parsed = engine.lint_text(MODEL, "m.py", chosen)
    assert [(d.line, d.column, d.end_line, d.end_column, d.code, d.message) for d in built] == [
        (d.line, d.column, d.end_line, d.end_column, d.code, d.message) for d in parsed
    ]
    assert any(d.code == "EXP104" and d.line == 8 and "m.py:6" in d.message for d in built)  # n from .item()


def test_findings_from_a_built_tree_carry_no_fixes_and_with_fixes_asked_they_do():
    """A built tree has no layout to render a rewrite with: fixes come from LibCST's parse."""
    text = all_cases()["as_tensor_of_sizes"].bad
    chosen = settings(target_torch="2.13")
    quick = [d for d in engine.lint_text(text, "m.py", chosen) if d.code == "EXP141"]
    fixed = [d for d in engine.lint_text(text, "m.py", chosen, fixes=True) if d.code == "EXP141"]
    assert [d.message for d in quick] == [d.message for d in fixed] != []
    assert all(d.fix is None for d in quick)
    assert any(d.fix is not None for d in fixed)


def test_source_code_is_the_files_text_with_the_expressions_own_parentheses():
    text = "y = ( x.sum( 1 )  # why\n)\nz = f(a)\n"
    built = build(text)
    value = built.module.body[0].body[0].value
    call = built.module.body[1].body[0].value
    parsed = cst.parse_module(text)
    with in_use(built):
        assert source_code(value) == parsed.code_for_node(parsed.body[0].body[0].value) == "( x.sum( 1 )  # why\n)"
        assert source_code(call.args[0].value) == "a"  # the call's parentheses are not its argument's
    assert source_code(value) == "(x.sum(1))"  # outside the analysis: LibCST's rendering of the node


@pytest.mark.parametrize("operator", [" and ", " < ", " + "])
def test_a_long_flat_chain_still_meets_the_nesting_guard(operator):
    """source.nesting_problem counts each operand of `a and b and ...` (LibCST nests them);
    ast keeps a boolean or comparison chain flat: the builder counts its operands, so the
    guard still runs and the file is refused as before, not analysed."""
    chain = operator.join(["x"] * 1100)
    head = "import torch\n\nclass M(torch.nn.Module):\n    def forward(self, x):\n"
    text = f"{head}        y = {chain}\n        return y\n"
    [finding] = engine.lint_text(text, "m.py", settings(target_torch="2.13"))
    assert finding.code == "EXP000"
    assert "nested more than 1000 levels deep" in finding.message


def test_a_fault_of_the_builder_falls_back_to_libcsts_parse(monkeypatch):
    """An unforeseen layout the builder misreads must cost time, never the file's findings."""
    from exportlint import tree_from_ast

    chosen = settings(target_torch="2.13")
    expected = engine.lint_text(MODEL, "m.py", chosen)

    def misread(self, node, span):
        raise IndexError("string index out of range")

    monkeypatch.setitem(tree_from_ast._EXPRESSIONS, tree_from_ast.ast.Attribute, misread)
    assert build(MODEL) is None
    assert engine.lint_text(MODEL, "m.py", chosen) == expected != []


def test_type_parameters_are_left_to_libcst():
    """`def f[T]()` and `class A[T]` (Python 3.12): LibCST keeps them in fields the builder does
    not fill, so such a definition sends the file to LibCST's parse. (Tested on this 3.11 by
    giving the ast node the field 3.12's parser fills.)"""
    import ast as python_ast

    from exportlint.tree_from_ast import Unsupported, _Builder

    text = "def f(x):\n    return x\n\nclass A:\n    pass\n"
    for index in (0, 1):
        tree = python_ast.parse(text)
        tree.body[index].type_params = [python_ast.Name("T")]
        with pytest.raises(Unsupported):
            _Builder(text).module(tree)
    assert build(text) is not None


def test_a_finding_inside_a_formatted_string_is_placed_as_libcst_places_it(monkeypatch):
    """The parts of an f-string (LibCST parses the string) are placed only when a finding asks."""
    text = textwrap.dedent(
        '''
        import torch

        class M(torch.nn.Module):
            def forward(self, x):
                s = f"total {int(x.sum())}"
                return x
        '''
    )
    chosen = settings(target_torch="2.13")
    built = [(d.line, d.column, d.end_line, d.end_column, d.code) for d in engine.lint_text(text, "m.py", chosen)]
    monkeypatch.setattr(engine, "build", lambda text: None)
    parsed = [(d.line, d.column, d.end_line, d.end_column, d.code) for d in engine.lint_text(text, "m.py", chosen)]
    assert built == parsed == [(6, 22, 6, 34, "EXP107")]  # `int(x.sum())`, inside the braces
