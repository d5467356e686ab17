"""A read-only, source-order walk over LibCST nodes.

LibCST's own ``node.visit(visitor)`` rebuilds every node it passes (it is
built for transformers) and calls the visitor for whitespace and punctuation
too: about half the traversal time. Rules only read syntax, so this walk
follows the dataclass fields that hold syntax, in source order, and skips
trivia (whitespace, parentheses, commas, operators' tokens).
"""

from __future__ import annotations

import dataclasses
from typing import Dict, Iterator, Tuple

import libcst as cst

# Fields that only hold layout: never a place a rule looks.
_TRIVIA_PREFIXES = (
    "whitespace", "leading_lines", "lines_after", "lpar", "rpar", "lbracket", "rbracket",
    "lbrace", "rbrace", "comma", "semicolon", "dot", "equal", "colon", "asynchronous",
    "header", "footer", "operator", "posonly_ind", "star_tok", "newline", "trailing_whitespace",
)

# Where the dataclass order is not the source order.
_SOURCE_ORDER: Dict[type, Tuple[str, ...]] = {
    cst.FunctionDef: ("decorators", "name", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.Parameters: ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
}

_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _fields(node_type: type) -> Tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        names = _SOURCE_ORDER.get(node_type) or tuple(
            f.name for f in dataclasses.fields(node_type) if not f.name.startswith(_TRIVIA_PREFIXES)
        )
        _FIELDS[node_type] = names
    return names


# type -> is it a CSTNode: isinstance on LibCST's ABCs goes through ABCMeta.__instancecheck__,
# a dictionary lookup does not (same answers: issubclass, once per type).
_IS_NODE: Dict[type, bool] = {}


def _is_node(value_type: type) -> bool:
    found = _IS_NODE.get(value_type)
    if found is None:
        found = _IS_NODE[value_type] = issubclass(value_type, cst.CSTNode)
    return found


def _children(node: cst.CSTNode, visitor) -> Iterator[cst.CSTNode]:
    is_loop = type(node) is cst.For
    for name in _fields(type(node)):
        if is_loop and name == "body":
            visitor.before_loop_body(node)  # the loop variable is bound inside the body
        value = getattr(node, name)
        value_type = type(value)
        if value_type is list or value_type is tuple:
            for item in value:
                if _is_node(type(item)):
                    yield item
        elif _is_node(value_type):
            yield value
        elif isinstance(value, (list, tuple)):  # a subclass of either (never made by LibCST's parser)
            for item in value:
                if _is_node(type(item)):
                    yield item


def walk(root: cst.CSTNode, visitor) -> None:
    """Call ``visitor.on_visit(node)`` before a node's children (False skips them)
    and ``visitor.on_leave(node)`` after, for ``root`` and everything under it."""
    if not visitor.on_visit(root):
        visitor.on_leave(root)
        return
    stack = [(root, _children(root, visitor))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            visitor.on_leave(node)
        elif visitor.on_visit(child):
            stack.append((child, _children(child, visitor)))
        else:
            visitor.on_leave(child)


class _Visiting:
    """A ``cst.CSTVisitor`` driven by the read-only walk: its visit_X / leave_X methods
    are called as ``node.visit(visitor)`` calls them (its own on_visit / on_leave)."""

    def __init__(self, visitor: cst.CSTVisitor) -> None:
        self.on_visit = visitor.on_visit
        self.on_leave = visitor.on_leave

    def before_loop_body(self, node: cst.For) -> None:
        pass


def visit(root: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """``root.visit(visitor)`` without rebuilding the subtree: for visitors that read
    syntax nodes only (no visit_X for trivia: whitespace, commas, operators' tokens)."""
    walk(root, _Visiting(visitor))
