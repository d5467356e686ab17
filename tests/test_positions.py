"""Positions computed per statement must equal LibCST's whole-module positions."""

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from exportlint.positions import _statement_spans, locate

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
    pairs = [(node, statement) for statement in module.body for node in _all_nodes(statement)]
    assert len(pairs) > 100
    spans = locate(module, text, pairs)
    for node, _ in pairs:
        r = whole[node]
        assert spans[id(node)] == (r.start.line, r.start.column, r.end.line, r.end.column), (name, node)


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
    spans = locate(module, text, [(second.body[0], second)])
    assert spans[id(second.body[0])] == (4, 0, 4, 5)


def test_a_node_outside_its_claimed_statement_falls_back():
    text = "a = 1\nb = 2\n"
    module = cst.parse_module(text)
    first, second = module.body
    spans = locate(module, text, [(second.body[0], first)])
    assert spans[id(second.body[0])] == (2, 0, 2, 5)


def test_nodes_without_a_statement_use_the_whole_module():
    text = "a = 1\nb = 2\n"
    module = cst.parse_module(text)
    target = module.body[1].body[0].targets[0].target
    assert locate(module, text, [(target, None)])[id(target)] == (2, 0, 2, 1)
