"""A rule's fix as changes to CST nodes, and how they become text edits.

Rules build a ``Rewrite`` from the nodes they visit; the file context locates
those nodes (the same positions the findings get) and ``resolve`` turns the
changes into ``Edit``s of the text. Only the changed spans are regenerated:
LibCST renders each replacement node with its own whitespace and comments,
and everything outside the spans is left byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterator, Optional, Tuple, Union

import libcst as cst

from exportlint.fix import Edit, Fix
from exportlint.source import physical_lines

Span = Tuple[int, int, int, int]  # 1-based lines, 0-based columns, as positions.locate gives them


@dataclass(frozen=True)
class Replace:
    """Put ``new`` (a node, or source text) where ``node`` is."""

    node: cst.CSTNode
    new: Union[cst.CSTNode, str]
    # The new expression's kind when it is not an atom ("binary", "unary", "power"):
    # it is parenthesised unless the text around the node shows it needs no
    # parentheses (the node's parents are not at hand, only its text).
    operator: str = ""


@dataclass(frozen=True)
class InsertBefore:
    """Insert whole lines before ``statement`` (of the module or of an indented
    block), at its indentation, above its decorators. ``lines`` use four spaces per extra level, rewritten to
    the file's own indentation."""

    statement: cst.CSTNode
    lines: Tuple[str, ...]


@dataclass(frozen=True)
class RemoveStatement:
    """Remove the physical lines of ``statement`` (a SimpleStatementLine)."""

    statement: cst.SimpleStatementLine


Change = Union[Replace, InsertBefore, RemoveStatement]


@dataclass(frozen=True)
class Rewrite:
    safety: str
    title: str
    changes: Tuple[Change, ...]

    def nodes(self) -> Iterator[cst.CSTNode]:
        for change in self.changes:
            yield _anchor(change)


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def operand(node: cst.BaseExpression) -> str:
    """``node``'s code, parenthesised unless it is an atom (a name, call, subscript, ...)."""
    text = code(node)
    atoms = (cst.Name, cst.Attribute, cst.Subscript, cst.Call, cst.Integer, cst.Float)
    return text if isinstance(node, atoms) or getattr(node, "lpar", ()) else f"({text})"


def module_alias(ctx, module: str) -> Optional[str]:
    """The local name the file imported ``module`` as (``torch``, ``T``, ...), if any."""
    for local, qualified in ctx.model_map.imports.names().items():
        if qualified == module and ctx.scope.lookup(local) is None:
            return local
    return None


def _anchor(change: Change) -> cst.CSTNode:
    """The node whose position places the change: LibCST starts a decorated
    def or class at its keyword, after the decorators."""
    if isinstance(change, Replace):
        return change.node
    decorators = getattr(change.statement, "decorators", ())
    return decorators[0] if isinstance(change, InsertBefore) and decorators else change.statement


def _indentation(line: str, column: int) -> Optional[str]:
    indent = line[:column]
    return indent if indent.strip() == "" else None


_BINDS_TIGHTER_BEFORE = ("*", "/", "%", "@", "-", "+", "~")
_TRAILERS = ("**", ".", "[", "(")


def _needs_parentheses(operator: str, before: str, after: str) -> bool:
    """Whether ``operator``'s expression, put between ``before`` and ``after``
    (the text of its line around the node), must be parenthesised."""
    if not operator:
        return False
    if after.lstrip().startswith(_TRAILERS):  # (n + 1) // 2 ** 2, n ** 0.5 .item()
        return True
    return operator == "binary" and before.rstrip().endswith(_BINDS_TIGHTER_BEFORE)


def resolve(rewrite: Rewrite, spans: Dict[int, Span], module: cst.Module, text: str) -> Optional[Fix]:
    """The text edits of ``rewrite``, or None when it cannot be placed safely."""
    lines = None
    edits = []
    for change in rewrite.changes:
        if isinstance(change, Replace):
            line, column, end_line, end_column = spans[id(change.node)]
            new = change.new if isinstance(change.new, str) else module.code_for_node(change.new)
            if change.operator:
                lines = lines if lines is not None else physical_lines(text)
                before, after = lines[line - 1][:column], lines[end_line - 1][end_column:]
                if _needs_parentheses(change.operator, before, after):
                    new = f"({new})"
            edits.append(Edit(line, column + 1, end_line, end_column + 1, new))
            continue
        lines = lines if lines is not None else physical_lines(text)
        line, column, end_line, end_column = spans[id(_anchor(change))]
        indent = _indentation(lines[line - 1], column)
        if indent is None:  # `x = 1; stmt` or a statement after a colon: no line of its own
            return None
        if isinstance(change, InsertBefore):
            unit = module.default_indent
            body = "".join(
                indent + unit * ((len(t) - len(t.lstrip(" "))) // 4) + t.lstrip(" ") + module.default_newline
                for t in change.lines
            )
            edits.append(Edit(line, 1, line, 1, body))
        else:
            last = end_line if end_column > 0 else end_line - 1  # the span may end at the next line's start
            edits.append(Edit(line, 1, last + 1, 1, ""))
    return Fix(rewrite.safety, rewrite.title, tuple(edits))
