"""Line and column of reported nodes, computed for as little of the file as possible.

LibCST's PositionProvider renders the whole module to compute ranges: on a
large model file that costs more than the parse. Findings sit in a few
top-level statements (the classes and functions holding traced code), so
positions are computed for those statements alone, as one-statement modules,
and shifted by the line the statement starts on. Where that shortcut cannot be
trusted (the statement's text is not found exactly once in the file, or a node
is not inside its statement) the whole module is used, as before.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from exportlint.source import position

# (start line, start column, end line, end column), 1-based lines, 0-based columns as LibCST gives them
Span = Tuple[int, int, int, int]


def _span(code_range, line_offset: int = 0) -> Span:
    return (
        code_range.start.line + line_offset, code_range.start.column,
        code_range.end.line + line_offset, code_range.end.column,
    )


def _statement_spans(module: cst.Module, text: str, statement: cst.CSTNode):
    """Positions inside ``statement`` and its line offset in the file, or None."""
    code = module.code_for_node(statement)  # with its leading blank lines and comments
    start = text.find(code)
    if start < 0 or text.find(code, start + 1) >= 0:
        return None
    line, column = position(text, start)
    if column != 1:
        return None
    alone = module.with_changes(body=[statement], header=[], footer=[])
    return MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider), line - 1


def locate(
    module: cst.Module, text: str, nodes: Iterable[Tuple[cst.CSTNode, Optional[cst.CSTNode]]]
) -> Dict[int, Span]:
    """Spans by ``id(node)`` for (node, statement of module.body holding it or None)."""
    by_statement: Dict[int, Tuple[Optional[cst.CSTNode], List[cst.CSTNode]]] = {}
    for node, statement in nodes:
        by_statement.setdefault(id(statement), (statement, []))[1].append(node)
    spans: Dict[int, Span] = {}
    whole = None
    for statement, members in by_statement.values():
        found = _statement_spans(module, text, statement) if statement is not None else None
        if found is not None and all(node in found[0] for node in members):
            ranges, line_offset = found
            for node in members:
                spans[id(node)] = _span(ranges[node], line_offset)
            continue
        if whole is None:
            whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        for node in members:
            spans[id(node)] = _span(whole[node])
    return spans
