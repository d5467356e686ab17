"""What other files need to know of a file: its imports, classes and functions.

Read with CPython's ``ast`` (about thirty times faster than LibCST), for every
file of the project, linted or not: it is what the project index resolves
base classes, re-exports and callees with. Plain data, cached by content.
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections import deque
from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Tuple

from exportlint.analysis.site_data import ExportSite
from exportlint.analysis.modules import resolve_relative

_BUILTINS = frozenset(dir(builtins))
_CONTAINERS = frozenset({"ModuleList", "Sequential", "ModuleDict"})


_interned = sys.intern  # TypeError for anything but a str, as str() checked before
_SHARED: Dict[Tuple[str, ...], Tuple[str, ...]] = {}
_SHARED_KEPT = 100_000  # a long-lived process (the language server) starts afresh past this


def _shared_names(values) -> Tuple[str, ...]:
    """A tuple of interned names, one object for equal tuples (parameter lists, bases and
    method lists recur in thousands of files)."""
    names = tuple(map(_interned, values))
    if len(_SHARED) >= _SHARED_KEPT:
        _SHARED.clear()
    return _SHARED.setdefault(names, names)


@dataclass(frozen=True, slots=True)
class ClassShape:
    name: str
    bases: Tuple[str, ...]  # qualified names; "?" + text when not resolvable from the file
    methods: Tuple[str, ...]
    forward_takes_self: bool  # def forward(self, ...): a module's forward, not autograd's forward(ctx, ...)
    submodules: Tuple[Tuple[str, str], ...]  # (attr, qualified class) made in __init__, containers' items too


@dataclass(frozen=True, slots=True)
class Signature:
    """A function's parameters, ``self`` left out: what call sites in other files bind."""

    key: str  # "function" or "Class.method" within the file
    positional: Tuple[str, ...]
    keyword_only: Tuple[str, ...]
    star_kwargs: bool
    # parameters whose default is a Python literal (False, 0, "x"), with its text: export
    # specialises them when an export call in another file leaves them out
    literal_defaults: Tuple[Tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class FileStructure:
    module: str
    is_package: bool
    imports: Tuple[Tuple[str, str], ...]  # local name -> qualified name
    classes: Tuple[ClassShape, ...]
    functions: Tuple[str, ...]
    signatures: Tuple[Signature, ...] = ()  # top-level functions and forward methods
    # export calls (read with LibCST, only in files whose text holds one); ``model`` is
    # qualified by this file's imports, or a class name of this file
    sites: Tuple[ExportSite, ...] = ()

    def imported(self) -> Dict[str, str]:
        return dict(self.imports)

    def to_json(self) -> list:
        return [self.module, self.is_package, [list(i) for i in self.imports],
                [[c.name, list(c.bases), list(c.methods), c.forward_takes_self, [list(s) for s in c.submodules]]
                 for c in self.classes], list(self.functions),
                [[g.key, list(g.positional), list(g.keyword_only), g.star_kwargs, [list(d) for d in g.literal_defaults]]
                 for g in self.signatures],
                [site.to_json() for site in self.sites]]

    @classmethod
    def from_json(cls, data: list) -> "FileStructure":
        """Raises (TypeError, ValueError) on data of the wrong shape: the cache treats that as a miss.
        Names are interned and equal tuples of them shared: the same qualified names and
        parameter lists recur in thousands of files (the 2,597 structures of transformers/models
        read from the cache: 26.5 -> 14.0 MiB interned)."""
        module, is_package, imports, classes, functions, signatures, sites = data
        return cls(
            _interned(module), bool(is_package), tuple((_interned(a), _interned(b)) for a, b in imports),
            tuple(
                ClassShape(
                    _interned(n), _shared_names(b), _shared_names(m), bool(f),
                    tuple((_interned(x), _interned(y)) for x, y in s),
                )
                for n, b, m, f, s in classes
            ),
            _shared_names(functions),
            tuple(
                Signature(_interned(k), _shared_names(p), _shared_names(w), bool(x),
                          tuple((_interned(n), str(t)) for n, t in d))
                for k, p, w, x, d in signatures
            ),
            tuple(ExportSite.from_json(site) for site in sites),
        )

    def with_sites(self, sites: Tuple[ExportSite, ...]) -> "FileStructure":
        return FileStructure(self.module, self.is_package, self.imports, self.classes, self.functions,
                             self.signatures, tuple(sites))

    def signature(self, key: str) -> Optional[Signature]:
        return next((s for s in self.signatures if s.key == key), None)


def _top_level(body: List[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, looking inside if/try blocks (import guards)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _top_level(stmt.body)
            yield from _top_level(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, stmt.orelse, stmt.finalbody, *[h.body for h in stmt.handlers]):
                yield from _top_level(block)


def _dotted(node: ast.expr) -> Optional[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


class _Names:
    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.imports: Dict[str, str] = {}
        self.local: set = set()

    def add_import(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    self.imports[top] = top
        elif isinstance(node, ast.ImportFrom):
            source = node.module
            if node.level:
                source = resolve_relative(self.module, self.is_package, node.level, node.module)
            if source is None:
                return
            for alias in node.names:
                if alias.name != "*":
                    self.imports[alias.asname or alias.name] = f"{source}.{alias.name}"

    def qualify(self, node: ast.expr) -> Optional[str]:
        name = _dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in self.imports:
            full = self.imports[head]
        elif head in self.local:
            full = f"{self.module}.{head}"
        elif head in _BUILTINS:
            full = f"builtins.{head}"
        else:
            return "?" + name
        return f"{full}.{rest}" if rest else full


def read_structure(tree: ast.Module, module: str, is_package: bool) -> FileStructure:
    names = _Names(module, is_package)
    statements = list(_top_level(tree.body))
    for stmt in statements:
        if isinstance(stmt, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.local.add(stmt.name)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            names.add_import(stmt)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    names.local.add(target.id)
    classes, functions, signatures = [], [], []
    for stmt in statements:
        if isinstance(stmt, ast.ClassDef):
            classes.append(_class_shape(stmt, names))
            for item in stmt.body:
                if isinstance(item, ast.FunctionDef) and item.name == "forward":
                    signatures.append(_signature(f"{stmt.name}.forward", item.args, method=True))
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(stmt.name)
            signatures.append(_signature(stmt.name, stmt.args, method=False))
    return FileStructure(
        module, is_package, tuple(sorted(names.imports.items())), tuple(classes), tuple(functions), tuple(signatures)
    )


def _signature(key: str, args: ast.arguments, method: bool) -> Signature:
    every = args.posonlyargs + args.args
    positional = [a.arg for a in every]
    if method and positional:
        positional = positional[1:]
    # defaults belong to the last positional parameters; None for keyword-only ones without
    paired = list(zip(every[len(every) - len(args.defaults):], args.defaults)) + list(
        zip(args.kwonlyargs, args.kw_defaults)
    )
    literal = tuple((a.arg, ast.unparse(d)) for a, d in paired if d is not None and _is_literal(d))
    return Signature(key, tuple(positional), tuple(a.arg for a in args.kwonlyargs), args.kwarg is not None, literal)


def _is_literal(node: ast.expr) -> bool:
    """False, 0, 1.5, "x": what parameters._literal_default calls a Python value (not None, not -1)."""
    return isinstance(node, ast.Constant) and isinstance(node.value, (bool, int, float, str, bytes))


def _class_shape(node: ast.ClassDef, names: _Names) -> ClassShape:
    bases = []
    for base in node.bases:
        qualified = names.qualify(base.value if isinstance(base, ast.Subscript) else base)
        if qualified is not None:
            bases.append(qualified)
    methods = [item for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
    forward = next((m for m in methods if m.name == "forward"), None)
    takes_self = forward is not None and bool(forward.args.args) and forward.args.args[0].arg == "self" and not any(
        isinstance(d, ast.Name) and d.id == "staticmethod" for d in forward.decorator_list
    )
    init = next((m for m in methods if m.name == "__init__"), None)
    submodules = _submodules(init, names) if init is not None else ()
    return ClassShape(node.name, tuple(bases), tuple(m.name for m in methods), takes_self, submodules)


def _submodules(init: ast.FunctionDef, names: _Names) -> Tuple[Tuple[str, str], ...]:
    """``self.attr = Cls(...)`` and ``self.attr = nn.ModuleList([Cls(...) for ...])`` in __init__."""
    found: Dict[str, str] = {}
    for node in _statements_breadth_first(init):
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
            continue
        for target in node.targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                made = _constructed_class(node.value, names)
                if made is not None:
                    found.setdefault(target.attr, made)
    return tuple(sorted(found.items()))


def _statements_breadth_first(root: ast.AST) -> Iterator[ast.AST]:
    """ast.walk(root) without entering expressions: the statements come in the same order.

    No statement sits inside an expression, and leaving out nodes that have none below
    them keeps the breadth-first order of the rest. This pass runs over every class
    of the project; most of an __init__'s nodes are expressions (2 M of them on
    transformers/models, a third of the structure pass)."""
    todo = deque([root])
    while todo:
        node = todo.popleft()
        todo.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, ast.expr))
        yield node


def _constructed_class(call: ast.Call, names: _Names) -> Optional[str]:
    qualified = names.qualify(call.func)
    if qualified is None:
        return None
    if qualified.rsplit(".", 1)[-1] in _CONTAINERS and qualified.startswith("torch.nn"):
        for arg in call.args:  # ModuleList([Block(...) for _ in range(n)]), Sequential(Block(...), ...)
            items = [arg.elt] if isinstance(arg, (ast.ListComp, ast.GeneratorExp)) else (
                arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
            )
            for item in items:
                if isinstance(item, ast.Call):
                    inner = names.qualify(item.func)
                    if inner is not None and not inner.startswith(("?", "builtins.")):
                        return inner
        return None
    return None if qualified.startswith("builtins.") else qualified
