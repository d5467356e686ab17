"""What rules see of the file being linted, and where they report.

Below both the engine (which makes one per file) and the rules (which read
it), so neither imports the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Tuple

import libcst as cst

from exportlint.analysis.flavours import FlavourTracker, SizeFlavour
from exportlint.analysis.kinds import Classifier, Kind, Scope, names_in
from exportlint.analysis.models import ModelMap, TracedFunction
from exportlint.diagnostic import Diagnostic, Severity
from exportlint.positions import locate
from exportlint.tree_from_ast import source_code
from exportlint.target import Target

if TYPE_CHECKING:
    from exportlint.fixes.rewrite import Rewrite
    from exportlint.rule import RuleMeta


def _closed(attr: str) -> Kind:
    raise RuntimeError("FileContext used after close()")


class FileContext:
    """What rules see of the file being linted, and where they report."""

    def __init__(self, path: str, target: Target, model_map: ModelMap, built=None, text: str = "") -> None:
        self.path = path
        self.text = text  # the file's source, for rules' cheap tests of what it can hold
        self.built = built  # the BuiltTree the file's module is (tree_from_ast), or None: LibCST's parse
        self.target = target
        self.model_map = model_map
        self.classifier = Classifier(model_map.imports, self._self_attribute_kind)
        self.scope = Scope()
        self.function: Optional[TracedFunction] = None
        self.flavours = FlavourTracker(None)  # the engine gives it the file's shapes when there are any
        self.sites: Tuple = ()  # the file's export calls (ExportSite)
        # model named at a site -> (forward's parameters, literal defaults), for models of other files
        self.site_model: Callable[[str], Optional[tuple]] = lambda model: None
        self._at: List[Diagnostic] = []  # findings placed by line and column (at export sites)
        self._pending: List[tuple] = []  # (node, (statement, function), meta, message, severity, origin, fix)

    def close(self) -> None:
        """Break the reference cycles through the classifier, once the file's analysis is done.

        The classifier holds bound methods of this context and of the walker, which hold
        the context, which holds the file's tree: without this the whole tree is cyclic
        garbage that the collection after each file (runner.map_jobs) must scan to free,
        about 2% of a cold run; with it reference counting frees the tree at once."""
        self.classifier.self_attr_kind = _closed
        self.classifier.call_kind = None

    def _self_attribute_kind(self, attr: str) -> Kind:
        owner = self.function.owner if self.function else None
        return self.model_map.attribute_kind(owner, attr)

    def kind(self, node: cst.BaseExpression) -> Kind:
        return self.classifier.kind(node, self.scope)

    def size_flavour(self, node: cst.BaseExpression) -> Optional[SizeFlavour]:
        """static / automatic / named, with where it was declared; None when unknown."""
        return self.flavours.flavour(node, self.scope)

    def qualify(self, node: cst.BaseExpression) -> Optional[str]:
        return self.model_map.imports.qualify(node)

    def builtin(self, func: cst.BaseExpression) -> Optional[str]:
        return self.classifier.builtin(func, self.scope)

    def add(
        self, node: cst.CSTNode, meta: "RuleMeta", message: str, severity: Severity, fix: Optional["Rewrite"] = None
    ) -> None:
        holder = self.holder()
        origin = self._origin_in(node)
        self._pending.append((node, holder, meta, message, severity, origin, fix))

    def holder(self) -> Tuple[Optional[cst.CSTNode], Optional[cst.CSTNode]]:
        """(statement of module.body, traced function) holding what is reported: where positions
        are computed (positions.locate)."""
        if self.function is None:
            return (None, None)
        return (self.model_map.holder(self.function.node), self.function.node)

    def _origin_in(self, node: cst.CSTNode) -> Optional[Tuple[str, object, Optional[cst.CSTNode]]]:
        """(name, origin, origin's holder) for the first name in ``node`` holding a
        data-dependent value whose origin is known: the message says where it was born."""
        for name in names_in(node):
            origin = self.scope.lookup_origin(name)
            if origin is not None:
                return (name, origin, self.holder())
        return None

    def describe_origins(self, module: cst.Module, text: str, origins: List[Tuple[object, Optional[cst.CSTNode]]],
                         spans: Optional[Dict[int, tuple]] = None):
        """Origin text for each origin: "`t.any().item()` at pkg/m.py:12" (id -> text); ``spans``:
        positions already located, with the origins' among them."""
        if spans is None:
            nodes = [(o, *h) for o, h in origins if isinstance(o, cst.CSTNode)]
            spans = locate(module, text, nodes, self.built) if nodes else {}
        described = {}
        for origin, _ in origins:
            if isinstance(origin, cst.CSTNode):
                code = source_code(origin).strip().replace("\n", " ")
                if len(code) > 40:
                    code = code[:37] + "..."
                described[id(origin)] = (f"`{code}` at {self.path}:{spans[id(origin)][0]}", spans[id(origin)][0])
            elif isinstance(origin, str):
                described[id(origin)] = (origin, None)
        return described

    def add_at(self, line: int, column: int, meta: "RuleMeta", message: str, severity: Severity) -> None:
        self._at.append(Diagnostic(self.path, line, column, meta.code, message, severity, line, column,
                                   meta.cases[0]))

    def diagnostics(self, module: cst.Module, text: str) -> List[Diagnostic]:
        if not self._pending:
            return list(self._at)
        wanted = []
        for node, holder, *_, fix in self._pending:
            wanted.append((node, *holder))
            wanted.extend((fixed, *holder) for fixed in (fix.nodes() if fix else ()))
        born = [(o[1], o[2]) for *_, o, _ in self._pending if o is not None]
        wanted.extend((o, *h) for o, h in born if isinstance(o, cst.CSTNode))
        # once for the findings and their origins: a statement is rendered once
        spans = locate(module, text, wanted, self.built)
        origins = self.describe_origins(module, text, born, spans)
        found = []
        for node, _, meta, message, severity, origin, fix in self._pending:
            line, column, end_line, end_column = spans[id(node)]
            edits = _resolve(fix, spans, module, text)
            if fix is not None and edits is None:  # the message promised a fix: take it back
                message = message.rsplit("; ", 1)[0] + "; no automatic fix: the rewrite cannot be placed in this layout"
            if self.built is not None:  # a built tree renders new code without the file's layout: no edits
                edits = None
            if origin is not None:
                where, origin_line = origins[id(origin[1])]
                if origin_line != line:  # born on another line: say where, before the case tag
                    note = f" (`{origin[0]}` is data-dependent: {where})"
                    head, tag = (message.rsplit(" [", 1) + [""])[:2] if message.endswith("]") else (message, "")
                    message = f"{head}{note} [{tag}" if tag else f"{message}{note}"
            found.append(
                Diagnostic(
                    self.path, line, column + 1, meta.code, message,
                    severity, end_line, end_column + 1, meta.cases[0], edits,
                )
            )
        return found + self._at


def _resolve(fix: Optional["Rewrite"], spans, module: cst.Module, text: str):
    if fix is None:
        return None
    from exportlint.fixes.rewrite import resolve  # only files with a fixable finding pay for it

    return resolve(fix, spans, module, text)
