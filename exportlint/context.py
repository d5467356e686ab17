"""What rules see of the file being linted, and where they report.

Below both the engine (which makes one per file) and the rules (which read
it), so neither imports the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Tuple

import libcst as cst

from exportlint.analysis.flavours import FlavourTracker, SizeFlavour
from exportlint.analysis.kinds import Classifier, Kind, Scope
from exportlint.analysis.models import ModelMap, TracedFunction
from exportlint.diagnostic import Diagnostic, Severity
from exportlint.positions import locate
from exportlint.target import Target

if TYPE_CHECKING:
    from exportlint.rule import RuleMeta


class FileContext:
    """What rules see of the file being linted, and where they report."""

    def __init__(self, path: str, target: Target, model_map: ModelMap) -> None:
        self.path = path
        self.target = target
        self.model_map = model_map
        self.classifier = Classifier(model_map.imports, self._self_attribute_kind)
        self.scope = Scope()
        self.function: Optional[TracedFunction] = None
        self.flavours = FlavourTracker(None)  # the engine gives it the file's shapes when there are any
        self.sites: Tuple = ()  # the file's export calls (ExportSite)
        self._at: List[Diagnostic] = []  # findings placed by line and column (at export sites)
        self._pending: List[Tuple[cst.CSTNode, Optional[cst.CSTNode], "RuleMeta", str, Severity]] = []

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

    def add(self, node: cst.CSTNode, meta: "RuleMeta", message: str, severity: Severity) -> None:
        holder = self.model_map.holder(self.function.node) if self.function is not None else None
        self._pending.append((node, holder, meta, message, severity))

    def add_at(self, line: int, column: int, meta: "RuleMeta", message: str, severity: Severity) -> None:
        self._at.append(Diagnostic(self.path, line, column, meta.code, message, severity, line, column,
                                   meta.cases[0]))

    def diagnostics(self, module: cst.Module, text: str) -> List[Diagnostic]:
        if not self._pending:
            return list(self._at)
        spans = locate(module, text, [(node, holder) for node, holder, *_ in self._pending])
        found = []
        for node, _, meta, message, severity in self._pending:
            line, column, end_line, end_column = spans[id(node)]
            found.append(
                Diagnostic(
                    self.path, line, column + 1, meta.code, message,
                    severity, end_line, end_column + 1, meta.cases[0],
                )
            )
        return found + self._at
