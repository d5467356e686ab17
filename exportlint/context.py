"""What rules see of the file being linted, and where they report.

Below both the engine (which makes one per file) and the rules (which read
it), so neither imports the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, List, Optional, Tuple

import libcst as cst

from exportlint.analysis.kinds import Classifier, Kind, Scope
from exportlint.analysis.models import ModelMap, TracedFunction
from exportlint.diagnostic import Diagnostic, Severity
from exportlint.positions import locate
from exportlint.target import Target

if TYPE_CHECKING:
    from exportlint.fixes.rewrite import Rewrite
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
        self._pending: List[
            Tuple[cst.CSTNode, Optional[cst.CSTNode], "RuleMeta", str, Severity, Optional["Rewrite"]]
        ] = []

    def _self_attribute_kind(self, attr: str) -> Kind:
        owner = self.function.owner if self.function else None
        return self.model_map.attribute_kind(owner, attr)

    def kind(self, node: cst.BaseExpression) -> Kind:
        return self.classifier.kind(node, self.scope)

    def qualify(self, node: cst.BaseExpression) -> Optional[str]:
        return self.model_map.imports.qualify(node)

    def builtin(self, func: cst.BaseExpression) -> Optional[str]:
        return self.classifier.builtin(func, self.scope)

    def add(
        self, node: cst.CSTNode, meta: "RuleMeta", message: str, severity: Severity, fix: Optional["Rewrite"] = None
    ) -> None:
        holder = self.model_map.holder(self.function.node) if self.function is not None else None
        self._pending.append((node, holder, meta, message, severity, fix))

    def diagnostics(self, module: cst.Module, text: str) -> List[Diagnostic]:
        if not self._pending:
            return []
        wanted = []
        for node, holder, *_, fix in self._pending:
            wanted.append((node, holder))
            wanted.extend((fixed, holder) for fixed in (fix.nodes() if fix else ()))
        spans = locate(module, text, wanted)
        found = []
        for node, _, meta, message, severity, fix in self._pending:
            line, column, end_line, end_column = spans[id(node)]
            edits = _resolve(fix, spans, module, text)
            if fix is not None and edits is None:  # the message promised a fix: take it back
                message = message.rsplit("; ", 1)[0] + "; no automatic fix: the rewrite cannot be placed in this layout"
            found.append(
                Diagnostic(
                    self.path, line, column + 1, meta.code, message,
                    severity, end_line, end_column + 1, meta.cases[0], edits,
                )
            )
        return found


def _resolve(fix: Optional["Rewrite"], spans, module: cst.Module, text: str):
    if fix is None:
        return None
    from exportlint.fixes.rewrite import resolve  # only files with a fixable finding pay for it

    return resolve(fix, spans, module, text)
