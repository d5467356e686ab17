"""Line and column of reported nodes, computed for as little of the file as possible.

LibCST's PositionProvider renders the whole module to compute ranges: on a
large model file that costs more than the parse. Findings sit in a few
top-level statements (the classes and functions holding traced code), so
positions are computed for those statements alone, as one-statement modules,
and shifted by the line the statement starts on. A finding in a method is
placed by rendering its class with that method alone (a model class of a
transformers file holds a dozen methods and thousands of lines). Where a
shortcut cannot be trusted (the rendered text is not found exactly once in the
file, or a node is not inside it) the next wider one is used: the method, then
its top-level statement, then the whole module.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Mapping, Optional, Tuple

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

try:  # LibCST's own codegen state for positions (1.9 has it; without it, the public way below)
    from libcst.metadata.position_provider import PositionProvidingCodegenState
except ImportError:  # pragma: no cover
    PositionProvidingCodegenState = None

from exportlint.source import position

# (start line, start column, end line, end column), 1-based lines, 0-based columns as LibCST gives them
Span = Tuple[int, int, int, int]


def _render(module: cst.Module) -> Tuple[Mapping[cst.CSTNode, CodeRange], str]:
    """PositionProvider's ranges for every node of ``module``, and ``module.code``, from one
    code generation.

    ``MetadataWrapper(...).resolve(PositionProvider)`` gives the same ranges after a full
    visit of the tree for batchable providers (none is asked for here), and ``.code``
    generates the code again. Where LibCST's provider internals are not as expected, that
    public way is taken."""
    provider = PositionProvider()
    try:
        if PositionProvidingCodegenState is None:
            raise AttributeError("no PositionProvidingCodegenState")
        state = PositionProvidingCodegenState(
            default_indent=module.default_indent, default_newline=module.default_newline, provider=provider
        )
        module._codegen(state)
        return provider._computed, "".join(state.tokens)
    except (AttributeError, TypeError):
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider), module.code


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
    return _render(alone)[0], line - 1


_NEWLINE = re.compile(r"\r\n|\r|\n")


def _method_spans(module: cst.Module, text: str, statement: cst.CSTNode, method: cst.CSTNode):
    """Positions inside ``method``, a method of the top-level class ``statement``, and its line
    offset in the file, or None. The class is rendered with the method alone (no decorators,
    no comments around), so the method keeps its indentation and its text is the file's."""
    if not (isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock)):
        return None
    if len(statement.body.body) < 2 or not any(member is method for member in statement.body.body):
        return None  # a class of one method: its own rendering is no larger
    shell = statement.with_changes(
        leading_lines=(), decorators=(), body=statement.body.with_changes(body=(method,), footer=())
    )
    alone = module.with_changes(body=[shell], header=[], footer=[])
    ranges, code = _render(alone)
    first = ranges[method].start.line  # the method's text: from that line to the end
    starts = [0] + [m.end() for m in _NEWLINE.finditer(code)]
    if first > len(starts):
        return None
    method_text = code[starts[first - 1]:]
    at = text.find(method_text)
    if at < 0 or text.find(method_text, at + 1) >= 0 or (at > 0 and text[at - 1] not in "\r\n"):
        return None
    line, _ = position(text, at)
    return ranges, line - first


class Unplaced(Exception):
    """A node of a built tree (tree_from_ast) the builder did not place: the file is parsed
    with LibCST and analysed again."""


def locate(
    module: cst.Module, text: str, nodes: Iterable[Tuple[cst.CSTNode, Optional[cst.CSTNode], Optional[cst.CSTNode]]],
    built=None,
) -> Dict[int, Span]:
    """Spans by ``id(node)`` for (node, statement of module.body holding it or None, method of that
    statement's class holding it or None); ``built``: the BuiltTree ``module`` is, whose nodes know
    their spans (no rendering)."""
    if built is not None:
        return _built_spans(built, nodes)
    by_holder: Dict[Tuple[int, int], Tuple[Optional[cst.CSTNode], Optional[cst.CSTNode], List[cst.CSTNode]]] = {}
    for node, statement, method in nodes:
        by_holder.setdefault((id(statement), id(method)), (statement, method, []))[2].append(node)
    spans: Dict[int, Span] = {}
    by_statement: Dict[int, Tuple[Optional[cst.CSTNode], List[cst.CSTNode]]] = {}
    for statement, method, members in by_holder.values():
        found = _method_spans(module, text, statement, method) if method is not None else None
        left = _place(found, members, spans)
        if left:
            by_statement.setdefault(id(statement), (statement, []))[1].extend(left)
    whole = None
    for statement, members in by_statement.values():
        found = _statement_spans(module, text, statement) if statement is not None else None
        left = _place(found, members, spans)
        if left and whole is None:
            whole = _render(module)[0]
        for node in left:
            spans[id(node)] = _span(whole[node])
    return spans


def _place(found, members: List[cst.CSTNode], spans: Dict[int, Span]) -> List[cst.CSTNode]:
    """Spans of the members ``found`` (ranges, line offset) holds; the members it does not."""
    if found is None:
        return members
    ranges, line_offset = found
    left = []
    for node in members:
        if node in ranges:
            spans[id(node)] = _span(ranges[node], line_offset)
        else:
            left.append(node)
    return left


def _built_spans(built, nodes) -> Dict[int, Span]:
    spans: Dict[int, Span] = {}
    for node, _, _ in nodes:
        span = built.span_of(node)
        if span is None:
            raise Unplaced(type(node).__name__)
        spans[id(node)] = span
    return spans
