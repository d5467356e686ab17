"""Property-based tests: the engine never raises, whatever it is given, and its
findings are stable (twice the same, the same through the flake8 plugin, the
same whatever the line endings).

CI runs a few dozen examples per property. For a long fuzz, see
tests/README-fuzz.md: EXPORTLINT_FUZZ_SECONDS=600 re-runs every property with
fresh random examples until its share of the time is used up.
"""

import ast
import codecs
import os
import re
import sys
import time
import warnings
from typing import List

import hypothesmith  # grammar-based Python source (in the test extra)
import libcst as cst
from hypothesis import HealthCheck, assume, example, given, note, settings as hsettings, strategies as st

from conftest import settings
from exportlint.engine import lint_bytes, lint_text
from exportlint.source import may_contain_models
from exportlint.analysis.models import ModelMap
from exportlint.flake8_plugin import ExportLintPlugin
from exportlint.rules import ALL_RULES

# Budget ----------------------------------------------------------------------

SCALE = float(os.environ.get("EXPORTLINT_FUZZ_SCALE", "1"))  # multiplies every property's examples
SECONDS = float(os.environ.get("EXPORTLINT_FUZZ_SECONDS", "0"))  # > 0: keep fuzzing this long in all
PROPERTIES = 8  # tests below that share SECONDS


def fuzz(examples: int):
    """Hypothesis settings for a property: ``examples`` per round (CI runs one round)."""
    return hsettings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,  # LibCST's first parse of a shape can take a while
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        database=None,  # CI runs must not depend on earlier ones; long runs print their failures
        derandomize=False,
    )


def keep_fuzzing(run) -> None:
    """Run a @given test once, or again and again with fresh examples until this
    property's share of EXPORTLINT_FUZZ_SECONDS is used up."""
    deadline = time.monotonic() + SECONDS / PROPERTIES
    rounds = 0
    while True:
        run()
        rounds += 1
        if time.monotonic() >= deadline:
            break
    if SECONDS:
        print(f"\n{run.__name__}: {rounds} rounds in {SECONDS / PROPERTIES:.0f}s")


TARGETS = [
    settings(target_torch="2.13"),
    settings(target_torch="2.13", strict=True),
    settings(target_torch="2.9", strict=False),
    settings(target_torch="2.7"),
    settings(target_torch="2.5", strict=True, module_bases=["mylib.Base"]),
]
CODES = {rule.meta.code for rule in ALL_RULES} | {"EXP000", "EXP001", "EXP002"}
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def check_diagnostics(found, text: str) -> None:
    """What every answer must look like, whatever the input."""
    lines = LINE_BREAK.split(text)
    assert found == sorted(found)
    for d in found:
        assert d.code in CODES, d
        assert 1 <= d.line <= len(lines) + 1, d
        assert d.column >= 1, d
        assert d.message and "\n" not in d.message, d


def via_flake8(text: str, target) -> List[tuple]:
    """The plugin as flake8 runs it: physical lines with their endings."""
    ExportLintPlugin._settings = target
    try:
        plugin = ExportLintPlugin(ast.Module(body=[], type_ignores=[]), text.splitlines(keepends=True), "fuzz.py")
        return sorted((line, col + 1, message.split(" ", 1)[0]) for line, col, message, _ in plugin.run())
    finally:
        ExportLintPlugin._settings = None


def positions(found) -> List[tuple]:
    return sorted((d.line, d.column, d.code) for d in found)


# A generator of model-like Python ---------------------------------------------------
#
# Valid Python 3.9-3.13 (match only where the running Python has it), mixing the
# constructs the rules and the analysis look at: nn.Module subclasses, forward
# with shapes, .item(), round(), self.x = ..., tensor defaults, control flow,
# comprehensions, lambdas, nested and async functions, star-args, walrus,
# match statements, decorators, globals, numpy, random, os.environ, print.

NAMES = ["x", "y", "n", "t", "b", "i", "v", "k", "out", "h", "mask", "cache", "G"]
ATTRS = ["w", "sub", "buf", "flag", "cache", "layers", "scale", "training", "last", "count"]
LEAVES = [
    "x", "y", "n", "t", "v", "k", "h", "out", "G", "TABLE", "0", "1", "2", "-1", "3.5", "1e-5", "'s'", "b'b'", "None",
    "True", "False", "...", "x.shape", "x.shape[0]", "x.shape[-1]", "x.size(1)", "x.size()", "y.shape[1:]", "x.item()",
    "t.tolist()", "len(x)", "x.dim()", "x.ndim", "x.numel()", "x.dtype", "x.device", "torch.float32", "self.training",
    "torch.ones(3)", "torch.zeros_like(x)", "torch.arange(n)", "np.pi", "math.inf", "os.environ['MODE']",
    "os.getenv('X')", "random.random()", "time.time()", "np.random.rand(2)", "self.layers", "F.relu(x)",
    'f"{x.shape[0]}"', 'f"{x!r:>{n}}"', 'f"{x.item():.2f} {self.w}"', "r'\\d'", "'\\N{BULLET}é'",
]
UNARY = ["(-{})", "(+{})", "(~{})", "(not {})", "({})", "round({})", "int({})", "float({})", "bool({})", "abs({})",
         "len({})", "math.ceil({})", "math.floor({})", "math.trunc({})", "torch.sym_int({})", "np.sqrt({})",
         "np.int64({})",
         "{}.item()", "{}.tolist()", "{}.numpy()", "{}.sum()", "{}.nonzero()", "{}.unique()", "{}.float()",
         "self.to({})", "self.sub({})", "self.layers[{}]", "self.helper({})", "helper({})", "print({})",
         "range({})", "list({})", "torch.tensor({})", "np.array({})", "logger.info({})",
         "{}[...]", "{}.T", "{}.shape[0]", "[{}]", "({},)", "{{{}}}",
         "(lambda: {})", "(lambda a, *r, k=1, **kw: {})", "(h := {})", "yield {}", "await ({})"]
BINARY = ["{} + {}", "{} - {}", "{} * {}", "{} / {}", "{} // {}", "{} % {}", "{} ** {}", "{} @ {}", "{} & {}",
          "{} | {}", "{} ^ {}", "{} << {}", "{} >> {}", "{} < {}", "{} <= {} < 10", "{} == {}", "{} != {}",
          "{} is {}", "{} is not None and {}", "{} in {}", "{} not in {}", "{} and {}", "{} or {}",
          "min({}, {})", "max({}, {})", "torch.sym_min({}, {})", "torch.sym_max({}, {})", "{}[{}]", "{}[{}:]",
          "{}[:{}:2]", "{}.view({}, -1)", "{}.reshape(-1, {})", "torch.cat([{}, {}])", "{}.to({})",
          "self.helper({}, {})", "helper({}, k={})", "{}(*{})", "{}(**{})", "[{}, *{}]", "{{'k': {}, **{}}}",
          "({}, {})", "{{{}: {}}}", "np.lcm({}, {})", "torch._check({} > {})", "{}.expand({}, -1)"]
TERNARY = ["{} if {} else {}", "torch.where({}, {}, {})", "[{} for v in {} if {}]", "{{{}: v for v in {} if {}}}",
           "({} for v in {} if {})", "{{{} for v in {} if {}}}", "torch.cond({}, {}, {}, (x,))", "{}[{}:{}]"]


def _receiver_in_parens(forms: List[str]) -> List[str]:
    """`2.to(x)` is not Python: `(2).to(x)` is."""
    return [re.sub(r"(?<![{(\w])\{\}(?=[.\[(])", "({})", form) for form in forms]


UNARY, BINARY, TERNARY = map(_receiver_in_parens, (UNARY, BINARY, TERNARY))


@st.composite
def expressions(draw, depth: int = 3, in_async: bool = False, in_function: bool = True) -> str:
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(LEAVES))
    shape = draw(st.sampled_from(["unary", "binary", "binary", "ternary"]))
    sub = expressions(depth - 1, in_async, in_function)
    if shape == "unary":
        form = draw(st.sampled_from(UNARY))
        if form.startswith("await") and not in_async or form.startswith("yield") and not in_function:
            form = "({})"
        if form.startswith(("yield", "await")):
            form = "(" + form + ")"
        return form.format(draw(sub))
    if shape == "binary":
        return "(" + draw(st.sampled_from(BINARY)).format(draw(sub), draw(sub)) + ")"
    return "(" + draw(st.sampled_from(TERNARY)).format(draw(sub), draw(sub), draw(sub)) + ")"


def one_line(lines: List[str]) -> str:
    return lines[0] if len(lines) == 1 and not lines[0].endswith("\\") else "pass"


def indent(lines: List[str], by: str) -> List[str]:
    return [by + line if line else line for line in lines]


@st.composite
def blocks(draw, depth: int, in_async: bool = False, in_function: bool = True, in_loop: bool = False) -> List[str]:
    """One or more statements, as lines without a trailing newline."""
    lines: List[str] = []
    for _ in range(draw(st.integers(1, 3))):
        lines += draw(statements(depth, in_async, in_function, in_loop))
    return lines


@st.composite
def statements(draw, depth: int, in_async: bool = False, in_function: bool = True, in_loop: bool = False) -> List[str]:
    e = lambda: draw(expressions(draw(st.integers(0, 2)), in_async, in_function))  # noqa: E731
    name = lambda: draw(st.sampled_from(NAMES))  # noqa: E731
    attr = lambda: draw(st.sampled_from(ATTRS))  # noqa: E731
    body = lambda loop=in_loop: indent(draw(blocks(depth - 1, in_async, in_function, loop)), "    ")  # noqa: E731
    simple = [
        lambda: [f"{name()} = {e()}"],
        lambda: [f"self.{attr()} = {e()}"],
        lambda: [f"self.{attr()} += {e()}"],
        lambda: [f"self.{attr()}: int = {e()}"],
        lambda: [f"{name()}, {name()} = {e()}"],
        lambda: [f"{name()}, *{name()} = {e()}"],
        lambda: [f"{name()}[{e()}] = {e()}"],
        lambda: [f"TABLE[{e()}] = {e()}"],
        lambda: [f"{name()} += {e()}"],
        lambda: [f"{name()}: torch.Tensor = {e()}"],
        lambda: [e()],
        lambda: [f"assert {e()}, {e()}"],
        lambda: ["global G", f"G = {e()}"],
        lambda: [f"print({e()}, sep='')"],
        lambda: [f"torch._check({e()})"],
        lambda: [f"del {name()}"],
        lambda: ["pass"],
        lambda: [f"{name()} = {e()}; self.{attr()} = {e()}"],
        lambda: [f"{name()} = {e()} \\", f"    + {e()}"],
    ]
    if in_function:
        simple += [lambda: [f"return {e()}"], lambda: ["return"], lambda: [f"raise ValueError({e()})"]]
    if in_loop:
        simple += [lambda: ["break"], lambda: ["continue"]]
    if depth <= 0 or draw(st.integers(0, 2)) == 0:
        return draw(st.sampled_from(simple))()
    compound = [
        lambda: [f"if {e()}:", *body()]
        + draw(st.sampled_from([[], ["else:", *body()], [f"elif {e()}:", *body(), "else:", *body()]])),
        lambda: [f"if {e()}: {one_line(draw(st.sampled_from(simple))())}"],
        lambda: [f"for {name()} in {e()}:", *body(loop=True)] + draw(st.sampled_from([[], ["else:", *body()]])),
        lambda: [f"for {name()}, {name()} in enumerate({e()}):", *body(loop=True)],
        lambda: [f"while {e()}:", *body(loop=True), "    break"],
        lambda: [f"with {e()} as {name()}:", *body()],
        lambda: ["with torch.no_grad(), torch.autocast('cpu'):", *body()],
        lambda: ["try:", *body(), "except (ValueError, TypeError) as err:", *body(),
                 "else:", *body(), "finally:", *body()],
        lambda: ["try:", *body(), "except Exception:", "    raise"],
        lambda: [*draw(decorators()),
                 f"def {draw(st.sampled_from(['inner', 'helper', 'step']))}({draw(parameters())}):",
                 *indent(draw(blocks(depth - 1, False, True)), "    ")],
        lambda: [*draw(decorators()), f"async def {draw(st.sampled_from(['inner', 'fetch']))}({draw(parameters())}):",
                 *indent(draw(blocks(depth - 1, True, True)), "    ")],
        lambda: ["class Local:", "    z = 1", *indent(draw(blocks(depth - 1, False, False)), "    ")],
    ]
    if in_async:
        compound += [lambda: [f"async for {name()} in {e()}:", *body()],
                     lambda: [f"async with {e()} as {name()}:", *body()]]
    if sys.version_info >= (3, 10):
        compound.append(lambda: [
            f"match {e()}:",
            "    case 0 | 1:", *indent(body(), "    "),
            f"    case [{name()}, *rest] if {e()}:", *indent(body(), "    "),
            "    case {'k': v, **kw}:", *indent(body(), "    "),
            "    case torch.Size([a, b]) as shape:", *indent(body(), "    "),
            "    case _:", *indent(body(), "    "),
        ])
    return draw(st.sampled_from(compound))()


@st.composite
def parameters(draw, method: bool = False) -> str:
    params = ["self"] if method else []
    pool = ["x", "y=None", "b=torch.ones(3)", "scale: float = 1.0", "flag: bool = False", "mask: torch.Tensor = None",
            "t: 'torch.Tensor'", "n=2", "k=(1, 2)", "out=torch.zeros(2, 2)", "cache=[]"]
    chosen = draw(st.lists(st.sampled_from(pool), max_size=4, unique=True))
    required = [p for p in chosen if "=" not in p]
    defaulted = [p for p in chosen if "=" in p]
    params += required + defaulted
    if draw(st.booleans()):
        params.append("*args")
    elif draw(st.booleans()) and params and params != ["self"]:
        params.append("*")
        params.append("kw_only=1")
    if draw(st.booleans()):
        params.append("**kwargs")
    return ", ".join(params)


@st.composite
def decorators(draw) -> List[str]:
    return draw(st.lists(st.sampled_from(
        ["@torch.no_grad()", "@staticmethod", "@functools.lru_cache(maxsize=None)", "@torch.jit.export",
         "@assume_constant_result", "@torch._dynamo.assume_constant_result", "@property", "@trace(level=2)"]),
        max_size=2))


IMPORTS = [
    "import torch", "import torch.nn as nn", "from torch import nn", "import torch.nn.functional as F",
    "from torch.nn import Module", "from torch.nn import Module as Layer", "import math", "import numpy as np",
    "import random, time, os",
    "import functools", "from mylib import Base", "from torch._dynamo import assume_constant_result",
    "import logging\nlogger = logging.getLogger(__name__)", "from dataclasses import dataclass",
]
BASES = [
    "nn.Module", "torch.nn.Module", "Module", "Layer", "Base", "object", "", "nn.Module, metaclass=Meta", "Generic[T]",
    "\n    nn.Module,\n", "mixin(), nn.Module",
]


@st.composite
def model_sources(draw) -> str:
    """A module of model-like code: imports, helpers, one to three classes."""
    depth = draw(st.integers(1, 2))
    lines: List[str] = []
    if draw(st.booleans()):
        lines.append("from __future__ import annotations")
    lines += draw(st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=6, unique=True))
    lines += ["", "TABLE = {}", "G = 0"]
    for _ in range(draw(st.integers(0, 2))):
        lines += ["", *draw(decorators()), f"def helper({draw(parameters())}):",
                  *indent(draw(blocks(depth, False, True)), "    ")]
    classes: List[str] = []
    for index in range(draw(st.integers(1, 2))):
        bases = draw(st.sampled_from(BASES + classes))
        lines += ["", *draw(st.lists(st.sampled_from(["@dataclass", "@register"]), max_size=1)),
                  f"class M{index}({bases}):"]
        members: List[str] = []
        if draw(st.booleans()):
            members += [f"def __init__({draw(parameters(method=True))}):", "    super().__init__()"]
            members += indent(draw(blocks(depth, False, True)), "    ")
            values = st.sampled_from(["torch.ones(2)", "nn.Linear(2, 2)", "0", "True", "nn.ModuleList([])"])
            attrs = st.lists(st.sampled_from(ATTRS), max_size=3, unique=True)
            members += [f"    self.{a} = {draw(values)}" for a in draw(attrs)]
            members += ["    self.register_buffer('buf', torch.zeros(1))"] if draw(st.booleans()) else []
        methods = st.lists(st.sampled_from(["forward", "forward", "helper", "step", "extra"]), min_size=1, max_size=2,
                           unique=True)
        for method in draw(methods):
            is_async = draw(st.integers(0, 9)) == 0
            members += ["", *draw(decorators()),
                        f"{'async ' if is_async else ''}def {method}({draw(parameters(method=True))}):"]
            members += indent(draw(blocks(depth, is_async, True)), "    ")
        if draw(st.booleans()):
            members.append("forward_alias = lambda self, x: x")
        lines += indent(members, "    ")
        classes.append(f"M{index}")
    if draw(st.booleans()):
        lines += ["", "if __name__ == '__main__':", *indent(draw(blocks(1, False, False)), "    ")]
    if draw(st.booleans()):
        lines += ["", "try:", "    import apex", "except ImportError:", "    class Fallback(nn.Module):",
                  "        def forward(self, x):", *indent(draw(blocks(depth, False, True)), "            ")]
    return "\n".join(lines) + "\n"


def parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning on generated code ('str' object is not callable, ...)
            ast.parse(source)
    except SyntaxError:
        return False
    return True


# Properties ------------------------------------------------------------------------


@fuzz(25)
@given(source=model_sources(), target=st.sampled_from(TARGETS))
def _generated_models(source, target):
    assert parses(source), "the generator made invalid Python:\n" + source
    first = lint_text(source, "fuzz.py", target, apply_noqa=False)
    check_diagnostics(first, source)
    codes = [d.code for d in first]
    assert "EXP000" not in codes, (first, source)  # valid Python is always parsed
    assert "EXP001" not in codes, (first, source)  # no rule or analysis crash
    assert lint_text(source, "fuzz.py", target, apply_noqa=False) == first  # stable
    assert via_flake8(source, target) == positions(first)  # the plugin says the same
    if ModelMap(cst.parse_module(source)).roots():  # the text prefilter never skips a model
        assert may_contain_models(source), source


def test_generated_models_never_raise_and_findings_are_stable():
    keep_fuzzing(_generated_models)


def test_built_trees_are_libcsts_parses_on_generated_python():
    """Differential: the tree tree_from_ast builds is LibCST's parse, node for node and span for
    span (tree_compare), on model-like modules and on grammar-generated Python of every shape."""
    from tree_compare import differences

    @fuzz(30)
    @given(source=model_sources() | hypothesmith.from_grammar() | hypothesmith.from_node())
    def _trees(source):
        assume("\x00" not in source and parses(source))
        try:
            cst.parse_module(source)
        except Exception:  # newer grammar than LibCST's, or a layout it refuses: nothing to compare with
            assume(False)
        found = differences(source)
        assert found in ([], ["not built"]), (found, source)

    keep_fuzzing(_trees)


@fuzz(12)
@given(source=model_sources(), target=st.sampled_from(TARGETS),
       newline=st.sampled_from(["\r\n", "\r"]), bom=st.booleans())
def _line_endings_and_bom(source, target, newline, bom):
    """Bytes with CRLF or CR endings, with or without a BOM: same places as LF text."""
    reference = positions(lint_text(source, "fuzz.py", target))
    data = (codecs.BOM_UTF8 if bom else b"") + source.replace("\n", newline).encode("utf-8")
    found = lint_bytes(data, "fuzz.py", target)
    check_diagnostics(found, data.decode("utf-8-sig"))
    assert positions(found) == reference


def test_line_endings_and_bom_do_not_move_findings():
    keep_fuzzing(_line_endings_and_bom)


@st.composite
def mutated_sources(draw) -> str:
    """Generated models, broken at random: cut, spliced, duplicated, truncated."""
    source = draw(model_sources())
    for _ in range(draw(st.integers(1, 4))):
        if not source:
            break
        start = draw(st.integers(0, len(source) - 1))
        end = draw(st.integers(start, min(len(source), start + 40)))
        edit = draw(st.sampled_from(["delete", "insert", "duplicate", "truncate", "swap_lines"]))
        if edit == "delete":
            source = source[:start] + source[end:]
        elif edit == "insert":
            junk = draw(st.one_of(
                st.sampled_from(["(", ")", "[", "]", "{", "}", ":", "\n", "    ", "\t", "'", '"', '"""', "\\", "#",
                                 "lambda", "def ", "class ", "if ", "else", "await", "yield", "*", "**", "@", "=", ":=",
                                 "\x0c", "\r", "\u2028", "\x00", "é", "𝔁", "match x:\n case 1:"]),
                st.text(max_size=8),
            ))
            source = source[:start] + junk + source[start:]
        elif edit == "duplicate":
            source = source[:end] + source[start:end] + source[end:]
        elif edit == "truncate":
            source = source[:start]
        else:
            lines = source.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            source = "\n".join(lines)
    return source


@fuzz(30)
@given(source=mutated_sources(), target=st.sampled_from(TARGETS))
def _mutated_models(source, target):
    found = lint_text(source, "fuzz.py", target, apply_noqa=False)
    check_diagnostics(found, source)
    assert "EXP001" not in [d.code for d in found], (found, source)
    assert sum(d.code == "EXP000" for d in found) <= 1
    assert lint_text(source, "fuzz.py", target, apply_noqa=False) == found
    # flake8 runs plugins only on what CPython parses (else it reports E999 itself).
    if "\x00" not in source and parses(source):
        assert via_flake8(source, target) == positions(found)


def test_broken_models_never_raise_and_findings_are_stable():
    keep_fuzzing(_mutated_models)


PREFIX = "import torch\nclass M(torch.nn.Module):\n    def forward(self, x):\n"


TEXTS = (
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
    | st.text(alphabet="()[]{}:;,.=+-*/%@&|^~<>!\"'#\\ \t\n\r\x0cabcdefxyz019_", max_size=300)
    # Lone surrogates too, and letters, marks and format characters LibCST and CPython may disagree on.
    | st.text(alphabet=st.characters(codec=None, categories=["Cs", "Lo", "Mn", "Zs", "Cf"]), max_size=20)
)


@fuzz(60)
@example(text="\U00013460", target=TARGETS[0])  # LibCST took it as a name, then raised CSTValidationError
@example(text="y = '\ud800'", target=TARGETS[0])  # a lone surrogate: UnicodeEncodeError in LibCST
@given(text=TEXTS, target=st.sampled_from(TARGETS))
def _arbitrary_text(text, target):
    for source in (text, PREFIX + text, PREFIX + "        " + text):
        found = lint_text(source, "fuzz.py", target)
        check_diagnostics(found, source)
        assert "EXP001" not in [d.code for d in found], (found, source)
        assert lint_text(source, "fuzz.py", target) == found


def test_arbitrary_text_never_raises():
    keep_fuzzing(_arbitrary_text)


PREFIXES = [b"", PREFIX.encode(), codecs.BOM_UTF8 + PREFIX.encode(), b"# -*- coding: latin-1 -*-\n" + PREFIX.encode(),
            b"# coding: utf-16\n" + PREFIX.encode(), b"# vim: set fileencoding=cp1252 :\n" + PREFIX.encode()]


@fuzz(60)
@given(data=st.binary(max_size=300), prefix=st.sampled_from(PREFIXES), target=st.sampled_from(TARGETS))
def _arbitrary_bytes(data, prefix, target):
    source = prefix + data
    found = lint_bytes(source, "fuzz.py", target)
    assert lint_bytes(source, "fuzz.py", target) == found
    assert all(d.code in CODES and d.line >= 1 and d.column >= 1 for d in found)
    assert "EXP001" not in [d.code for d in found], (found, source)


def test_arbitrary_bytes_never_raise():
    keep_fuzzing(_arbitrary_bytes)


SHAPES = ["({})", "[{}]", "-{}", "not {}", "{}.a", "{}[0]", "{}()", "{} + x", "x ** {}", "lambda: {}", "f({})",
          "{} if x else y"]


@fuzz(12)
@example(depth=150, shape="f({})", target=TARGETS[0])  # was EXP001: RecursionError inside a rule
@given(depth=st.integers(1, 3000), shape=st.sampled_from(SHAPES), target=st.sampled_from(TARGETS))
def _deep_nesting(depth, shape, target):
    """Any depth: a finding or an EXP000, never a crash (LibCST used to segfault)."""
    expression = "x"
    for _ in range(depth):
        expression = shape.format(expression)
    source = PREFIX + "        self.last = x\n        return " + expression + "\n"
    found = lint_text(source, "fuzz.py", target)
    check_diagnostics(found, source)
    codes = [d.code for d in found]
    assert codes == ["EXP000"] or "EXP201" in codes and "EXP000" not in codes and "EXP001" not in codes, found


def test_deep_nesting_never_crashes():
    keep_fuzzing(_deep_nesting)


def test_grammar_generated_python_never_raises():
    @fuzz(12)
    @given(source=hypothesmith.from_grammar() | hypothesmith.from_node(), target=st.sampled_from(TARGETS))
    def _grammar(source, target):
        assume("\x00" not in source)
        for text in (source, PREFIX + "".join("        " + line for line in source.splitlines(keepends=True))):
            found = lint_text(text, "fuzz.py", target)
            check_diagnostics(found, text)
            note(f"{found}")
            assert "EXP001" not in [d.code for d in found], (found, text)
            assert lint_text(text, "fuzz.py", target) == found
        if parses(source):
            assert "EXP000" not in [d.code for d in lint_text(source, "fuzz.py", target)], source

    keep_fuzzing(_grammar)
