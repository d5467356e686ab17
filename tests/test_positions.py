"""Positions computed per statement must equal LibCST's whole-module positions."""

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from exportlint import positions
from exportlint.positions import _method_spans, _render, _statement_spans, locate

BODY = (
    "# header comment\n"
    "import torch\n"
    "\n"
    "\n"
    "# comment above the class\n"
    "class M(torch.nn.Module):\n"
    "\tdef forward(self, x):\n"
    "\t\ty = (x +\n"
    "  1)  # continuation at an odd indent\n"
    "\t\treturn round(y.shape[0] / 2); z = 1\n"
    "\n"
    "@decorated\n"
    "class N(torch.nn.Module):  # several methods: each is placed alone\n"
    "    # comment above a method\n"
    "    @staticmethod\n"
    "    def helper(t):\n"
    "        return t.sum(\n"
    "   dim=0)  # continuation at an odd indent\n"
    "\n"
    "    def forward(self, x):\n"
    "        return self.helper(x)\n"
    "    def copy(self, x):\n"
    "        return self.helper(x)\n"
    "    # the class body's footer\n"
    "\n"
    "if True:\n"
    "    def helper(t):\n"
    "        return t.item()\n"
    "def last(a): return a.sum()"
)

SOURCES = {
    "lf": BODY + "\n",
    "no trailing newline": BODY,
    "crlf": (BODY + "\n").replace("\n", "\r\n"),
    "lone cr": (BODY + "\n").replace("\n", "\r"),
    "mixed": BODY.replace("\n", "\r\n", 3) + "\n",
}


def _all_nodes(root):
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children)
    return found


def _contains(root, target):
    stack = [root]
    while stack:
        node = stack.pop()
        if node is target:
            return True
        stack.extend(node.children)
    return False


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_per_statement_positions_equal_whole_module_positions(name):
    text = SOURCES[name]
    module = cst.parse_module(text)
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    pairs = [(node, statement, None) for statement in module.body for node in _all_nodes(statement)]
    assert len(pairs) > 100
    spans = locate(module, text, pairs)
    for node, _, _ in pairs:
        r = whole[node]
        assert spans[id(node)] == (r.start.line, r.start.column, r.end.line, r.end.column), (name, node)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_per_method_positions_equal_whole_module_positions(name):
    text = SOURCES[name]
    module = cst.parse_module(text)
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    classes = [s for s in module.body if isinstance(s, cst.ClassDef)]
    triples = [(node, c, method) for c in classes for method in c.body.body for node in _all_nodes(method)]
    assert len(triples) > 80
    spans = locate(module, text, triples)
    for node, _, _ in triples:
        r = whole[node]
        assert spans[id(node)] == (r.start.line, r.start.column, r.end.line, r.end.column), (name, node)


def test_a_method_is_rendered_alone_unless_its_text_repeats():
    text = SOURCES["lf"]
    module = cst.parse_module(text)
    klass = next(s for s in module.body if isinstance(s, cst.ClassDef) and s.name.value == "N")
    found = _method_spans(module, text, klass, klass.body.body[0])
    assert found is not None and found[1] == 12  # the shell's line 3 (@staticmethod) is the file's line 15
    twice = "class A:\n    def f(self, x):\n        return x\n    def g(self):\n        pass\n"
    twice += twice.replace("class A", "class B")
    copied = cst.parse_module(twice)
    assert _method_spans(copied, twice, copied.body[1], copied.body[1].body.body[0]) is None  # A.f's text too
    assert _method_spans(copied, twice, copied.body[1], copied.body[1].body.body[1]) is None
    spans = locate(copied, twice, [(copied.body[1].body.body[0].name, copied.body[1], copied.body[1].body.body[0])])
    assert spans[id(copied.body[1].body.body[0].name)] == (7, 8, 7, 9)  # B.f, through the class's own text
    single = next(s for s in module.body if isinstance(s, cst.ClassDef) and s.name.value == "M")
    assert _method_spans(module, text, single, single.body.body[0]) is None  # one method: the class is as small


def test_the_shortcut_is_taken_for_an_ordinary_statement():
    text = SOURCES["lf"]
    module = cst.parse_module(text)
    klass = next(s for s in module.body if isinstance(s, cst.ClassDef))
    found = _statement_spans(module, text, klass)
    assert found is not None
    assert found[1] == 2  # two lines (header comment, import) before the class's leading blank lines


def test_a_statement_whose_text_repeats_falls_back_to_the_whole_module():
    text = "import torch\nx = 1\ny = 2\nx = 1\n"
    module = cst.parse_module(text)
    second = module.body[3]
    assert _statement_spans(module, text, second) is None
    spans = locate(module, text, [(second.body[0], second, None)])
    assert spans[id(second.body[0])] == (4, 0, 4, 5)


def test_a_node_outside_its_claimed_statement_falls_back():
    text = "a = 1\nb = 2\n"
    module = cst.parse_module(text)
    first, second = module.body
    spans = locate(module, text, [(second.body[0], first, None)])
    assert spans[id(second.body[0])] == (2, 0, 2, 5)


def test_nodes_without_a_statement_use_the_whole_module():
    text = "a = 1\nb = 2\n"
    module = cst.parse_module(text)
    target = module.body[1].body[0].targets[0].target
    assert locate(module, text, [(target, None, None)])[id(target)] == (2, 0, 2, 1)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_one_rendering_gives_the_providers_ranges_and_the_code(name):
    module = cst.parse_module(SOURCES[name])
    ranges, code = _render(module)
    assert code == module.code
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert len(whole) > 100 and dict(ranges) == dict(whole)


def test_rendering_falls_back_to_the_metadata_wrapper_when_libcsts_internals_differ(monkeypatch):
    def missing(**kwargs):
        raise AttributeError("no such provider internals")

    monkeypatch.setattr(positions, "PositionProvidingCodegenState", missing)
    module = cst.parse_module(SOURCES["crlf"])
    ranges, code = _render(module)
    assert code == module.code == SOURCES["crlf"]
    assert dict(ranges) == dict(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))
