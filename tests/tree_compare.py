"""Differences between a LibCST parse and the tree tree_from_ast builds of the same text.

Compared: node types, every field that holds syntax (walk.py's fields: not
whitespace, commas or parentheses), strings and numbers as LibCST keeps them,
how many parentheses each expression has, and each built node's position
against LibCST's PositionProvider."""

from __future__ import annotations

import dataclasses
from typing import List

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from exportlint.analysis.walk import _fields
from exportlint.parse import parse_source
from exportlint.tree_from_ast import BuiltTree, build

_SCALARS = (str, int, float, type(None), bool)


def differences(text: str, limit: int = 20) -> List[str]:
    """What differs (empty when the trees agree); ["not built"] when the builder declined."""
    built = build(text)
    if built is None:
        return ["not built"]
    parsed = parse_source(text)
    wrapper = MetadataWrapper(parsed, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    found: List[str] = []
    _compare(parsed, built.module, "module", positions, built, found, limit)
    return found


def _where(node, positions) -> str:
    at = positions.get(node)
    return f"{at.start.line}:{at.start.column}" if at is not None else "?"


def _compare(a, b, path: str, positions, built: BuiltTree, found: List[str], limit: int) -> None:
    if len(found) >= limit:
        return
    if type(a) is not type(b) and not (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))):
        found.append(f"{path} at {_where(a, positions)}: {type(a).__name__} parsed, {type(b).__name__} built")
        return
    if isinstance(a, cst.CSTNode):
        for par in ("lpar", "rpar"):
            if isinstance(getattr(a, par, None), (list, tuple)) and len(getattr(a, par)) != len(getattr(b, par, ())):
                found.append(f"{path}.{par} at {_where(a, positions)}: {len(getattr(a, par))} parsed, "
                             f"{len(getattr(b, par, ()))} built")
        span = built.span_of(b)
        at = positions.get(a)
        if span is not None and at is not None:
            want = (at.start.line, at.start.column, at.end.line, at.end.column)
            if span != want:
                found.append(f"{path} ({type(a).__name__}): position {want} parsed, {span} built")
        for name in _fields(type(a)):
            _compare(getattr(a, name), getattr(b, name), f"{path}.{name}", positions, built, found, limit)
        if type(a) is cst.Param:
            _compare(a.star, b.star, f"{path}.star", positions, built, found, limit)
        return
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            found.append(f"{path} at {_where(a[0] if a else None, positions)}: {len(a)} parsed, {len(b)} built")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            _compare(x, y, f"{path}[{i}]", positions, built, found, limit)
        return
    if isinstance(a, _SCALARS) or isinstance(a, cst.MaybeSentinel):
        if a != b:
            found.append(f"{path}: {a!r} parsed, {b!r} built")
        return
    if dataclasses.is_dataclass(a):
        return
    found.append(f"{path}: cannot compare {type(a).__name__}")
