#!/usr/bin/env python
"""Measure cheaper ways to do what the engine's two costliest post-parse stages do.

    python bench/candidates.py [--quick] [--corpus DIR]

Nothing here changes the engine: it lints the corpus with the engine as it is,
keeps the trees and findings, and then times alternatives on them, checking
that each gives the same answer.

positions  The engine resolves PositionProvider on the whole module for every
           file with findings. Alternatives:
           B  call the provider directly: MetadataWrapper.resolve also walks the
              whole tree once with an empty batch of visitors (libcst's
              _gen_batchable runs even when no batchable provider is asked for);
           C  positions of only the top-level statements holding a finding,
              shifted by the line count of the code before them.
traversal  The engine walks traced functions with ``node.visit(visitor)``, which
           rebuilds every node it passes (libcst's _visit_and_replace_children
           constructs and validates a new node even for a read-only CSTVisitor).
           Alternative: a read-only walk over the dataclass fields, calling
           on_visit/on_leave in the same order. Only the walk is timed (no-op
           callbacks), so the gain is an upper bound on what the walker saves.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402

_clock = time.perf_counter


# ---------------------------------------------------------------- positions
def positions_resolve(module: cst.Module, nodes: Sequence[cst.CSTNode]) -> List[Tuple[int, int, int, int]]:
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return [_span(positions[n]) for n in nodes]


def positions_direct(module: cst.Module, nodes: Sequence[cst.CSTNode]) -> List[Tuple[int, int, int, int]]:
    positions = PositionProvider()._gen(MetadataWrapper(module, unsafe_skip_copy=True))
    return [_span(positions[n]) for n in nodes]


def positions_per_statement(module: cst.Module, nodes: Sequence[cst.CSTNode]) -> List[Tuple[int, int, int, int]]:
    """Positions from a codegen of only the top-level statements that hold ``nodes``."""
    wanted = {id(n) for n in nodes}
    holder: Dict[int, int] = {}  # id(node) -> index of its top-level statement
    for index, stmt in enumerate(module.body):
        found = _contains(stmt, wanted)
        for node_id in found:
            holder[node_id] = index
        wanted -= found
        if not wanted:
            break
    spans: Dict[int, Tuple[int, int, int, int]] = {}
    line = sum(module.code_for_node(h).count(module.default_newline) for h in module.header)
    resolved: Dict[int, object] = {}
    needed = set(holder.values())
    for index, stmt in enumerate(module.body):
        if index in needed:
            single = module.with_changes(body=[stmt], header=[], footer=[])
            resolved[index] = (line, PositionProvider()._gen(MetadataWrapper(single, unsafe_skip_copy=True)))
            needed.discard(index)
            if not needed:
                break
        line += module.code_for_node(stmt).count(module.default_newline)
    for node in nodes:
        offset, positions = resolved[holder[id(node)]]
        where = positions[node]
        spans[id(node)] = (where.start.line + offset, where.start.column, where.end.line + offset, where.end.column)
    return [spans[id(n)] for n in nodes]


def _span(where) -> Tuple[int, int, int, int]:
    return (where.start.line, where.start.column, where.end.line, where.end.column)


# ---------------------------------------------------------------- a read-only walk
_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _child_fields(node_type: type) -> Tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        names = _FIELDS[node_type] = tuple(f.name for f in dataclasses.fields(node_type))
    return names


def _children(node: cst.CSTNode):
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


def fast_walk(root: cst.CSTNode, on_visit: Callable, on_leave: Callable) -> None:
    """Pre-order visit / post-order leave over dataclass fields, without rebuilding nodes."""
    if not on_visit(root):
        on_leave(root)
        return
    stack = [(root, _children(root))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_leave(node)
        elif on_visit(child):
            stack.append((child, _children(child)))
        else:
            on_leave(child)


def _contains(root: cst.CSTNode, wanted: set) -> set:
    found = set()

    def visit(node):
        if id(node) in wanted:
            found.add(id(node))
        return True

    fast_walk(root, visit, lambda node: None)
    return found


class _Recorder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.order: List[int] = []

    def on_visit(self, node) -> bool:
        self.order.append(id(node))
        return True


# ---------------------------------------------------------------- collecting trees
def collect(files: Sequence[str]):
    """Lint with the engine; keep (path, module, pending nodes) and the traced function nodes."""
    from exportlint import engine
    from exportlint.config import build_settings

    settings = build_settings({})
    pending: List[Tuple[str, cst.Module, List[cst.CSTNode]]] = []
    traced: List[cst.FunctionDef] = []
    original_diagnostics = engine.FileContext.diagnostics
    original_run = engine._TracedWalker.run
    current = {"path": ""}

    def diagnostics(self, module, *args):
        nodes = [item[0] for item in self._pending]
        if nodes:
            pending.append((current["path"], module, nodes))
        return original_diagnostics(self, module, *args)

    def run(self, roots):
        result = original_run(self, roots)
        traced.extend(t.node for t in getattr(self, "_visited", roots))
        return result

    engine.FileContext.diagnostics = diagnostics
    engine._TracedWalker.run = run
    try:
        for path in files:
            current["path"] = path
            engine.lint_path(path, settings)
    finally:
        engine.FileContext.diagnostics = original_diagnostics
        engine._TracedWalker.run = original_run
    return pending, traced


def time_it(func, items) -> Tuple[float, list]:
    start = _clock()
    out = [func(*item) for item in items]
    return _clock() - start, out


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--version", default=bench.DEFAULT_VERSION)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--work", type=Path, default=bench.DEFAULT_WORK)
    args = parser.parse_args(argv)
    work = args.work.resolve()
    corpus = args.corpus.resolve() if args.corpus else bench.fetch_corpus(work, args.version)[0]
    target = bench.quick_subset(corpus, work, bench.QUICK_STEP) if args.quick else corpus
    files = bench.discover_files(target)
    print(f"{bench.revision()}; corpus {target}: {len(files)} files")

    start = _clock()
    pending, traced = collect(files)
    print(f"linted in {_clock() - start:.1f} s: {len(pending)} files with findings "
          f"({sum(len(n) for _, _, n in pending)} findings before noqa), {len(traced)} traced functions visited")

    items = [(module, nodes) for _, module, nodes in pending]
    t_a, out_a = time_it(positions_resolve, items)
    t_b, out_b = time_it(positions_direct, items)
    t_c, out_c = time_it(positions_per_statement, items)
    t_code, _ = time_it(lambda module, nodes: module.code, items)
    print("\npositions, on the files with findings")
    print(f"  A  resolve(PositionProvider) (engine today)   {t_a:7.2f} s")
    print(f"  B  PositionProvider()._gen(wrapper)           {t_b:7.2f} s  same answers: {out_a == out_b}")
    print(f"  C  only the statements holding findings       {t_c:7.2f} s  same answers: {out_a == out_c}")
    print(f"     (plain module.code of the same files       {t_code:7.2f} s)")

    visitor = cst.CSTVisitor()
    t_visit, _ = time_it(lambda fn: fn.visit(visitor), [(fn,) for fn in traced])
    true = lambda node: True  # noqa: E731
    none = lambda node: None  # noqa: E731
    t_fast, _ = time_it(lambda fn: fast_walk(fn, true, none), [(fn,) for fn in traced])
    mismatched = set()
    for fn in traced:
        recorder = _Recorder()
        fn.visit(recorder)
        order: List[int] = []
        fast_walk(fn, lambda node: order.append(id(node)) or True, none)
        if order != recorder.order:
            for a, b in zip(order, recorder.order):
                if a != b:
                    break
            mismatched.add(fn.name.value)
    print("\ntraversal of the traced functions the engine visited (no-op callbacks)")
    print(f"  libcst node.visit(CSTVisitor())               {t_visit:7.2f} s")
    print(f"  read-only walk over dataclass fields          {t_fast:7.2f} s  "
          f"same visiting order in {len(traced) - len(mismatched)}/{len(traced)} functions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
