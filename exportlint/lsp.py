"""``exportlint lsp``: a language server over stdio (needs the ``lsp`` extra: pygls).

Publishes findings as the CLI reports them, with exact ranges, a severity
from what export does (error where it fails, warning where it specialises,
information for EXP3xx advice), the rule's page as codeDescription, and
quick fixes from the rules' autofixes. Settings come from the
``[tool.exportlint]`` table of the pyproject.toml nearest the document.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from exportlint import __version__
from exportlint.config import ConfigError, Settings, build_settings, find_pyproject, load_pyproject
from exportlint.diagnostic import Diagnostic, Severity
from exportlint.files import is_excluded
from exportlint.fix import SAFE, Edit
from exportlint.source import physical_lines

try:
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
except ImportError:  # pragma: no cover - the message is the feature
    types = None

FIX_ALL = "source.fixAll.exportlint"


def lint_document(text: str, path: str, settings: Settings) -> List[Diagnostic]:
    """The file as the CLI and flake8 see it: part of its project (bases, helpers and
    values from other files), with the editor's text, sharing the CLI's cache."""
    from exportlint.cache import ProjectCache
    from exportlint.engine import lint_text
    from exportlint.project_lint import lint_project

    if not os.path.isfile(path):  # an unsaved buffer has no project
        return lint_text(text, path, settings, fixes=True)
    cache = ProjectCache.open(settings)
    found = next(iter(lint_project([path], settings, jobs=1, cache=cache, given={path: text})))
    cache.save()
    return found


# Settings --------------------------------------------------------------------
class SettingsFinder:
    """Settings per document, from its nearest pyproject.toml, reread when it changes."""

    def __init__(self) -> None:
        self._seen: Dict[Optional[Path], Tuple[float, Settings, Optional[Path]]] = {}

    def for_path(self, path: str) -> Tuple[Settings, Optional[Path], str]:
        """(settings, pyproject used, error message or "")."""
        found = find_pyproject(Path(path).resolve().parent)
        stamp = found.stat().st_mtime if found else 0.0
        cached = self._seen.get(found)
        if cached and cached[0] == stamp:
            return cached[1], found, ""
        try:
            settings = build_settings(load_pyproject(found) if found else {})
        except ConfigError as exc:
            return build_settings({}), found, str(exc)
        self._seen[found] = (stamp, settings, found)
        return settings, found, ""


def excluded(path: str, settings: Settings, pyproject: Optional[Path]) -> bool:
    """The CLI run from the project root would skip this file (or a directory above it)."""
    if pyproject is None:
        return False
    try:
        relative = Path(path).resolve().relative_to(pyproject.parent)
    except ValueError:
        return False
    patterns = settings.exclude + settings.extend_exclude
    parts = relative.parts
    return any(is_excluded("/".join(parts[: i + 1]), patterns) for i in range(len(parts)))


# Conversions -----------------------------------------------------------------
def severity(d: Diagnostic):
    if d.code.startswith("EXP3"):
        return types.DiagnosticSeverity.Information
    if d.severity is Severity.ERROR:
        return types.DiagnosticSeverity.Error
    if d.severity is Severity.WARNING:
        return types.DiagnosticSeverity.Warning
    return types.DiagnosticSeverity.Information


def _range(lines: Sequence[str], line: int, column: int, end_line: int, end_column: int, codec):
    """1-based lines and character columns -> an LSP range in the client's units."""
    if not end_line:  # file-level findings: to the end of their line
        end_line, end_column = line, len(lines[line - 1]) + 1 if line <= len(lines) else column
    padded = list(lines) + [""]  # an edit may end just past the last line
    server = types.Range(
        start=types.Position(line=line - 1, character=column - 1),
        end=types.Position(line=end_line - 1, character=end_column - 1),
    )
    return codec.range_to_client_units(padded, server)


def to_lsp(d: Diagnostic, lines: Sequence[str], codec):
    return types.Diagnostic(
        range=_range(lines, d.line, d.column, d.end_line, d.end_column, codec),
        message=d.message,
        severity=severity(d),
        code=d.code,
        code_description=types.CodeDescription(href=d.url),
        source="exportlint",
    )


def _text_edit(edit: Edit, lines: Sequence[str], codec):
    return types.TextEdit(
        range=_range(lines, edit.line, edit.column, edit.end_line, edit.end_column, codec), new_text=edit.text
    )


def _overlaps(a, b) -> bool:
    start_a, end_a = (a.start.line, a.start.character), (a.end.line, a.end.character)
    start_b, end_b = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return start_a <= end_b and start_b <= end_a


# The server ------------------------------------------------------------------
def build_server():
    if types is None:
        raise RuntimeError("the language server needs pygls: pip install 'exportlint[lsp]'")
    server = LanguageServer("exportlint", __version__)
    finder = SettingsFinder()

    def lint(uri: str):
        document = server.workspace.get_text_document(uri)
        path = document.path or uri
        settings, pyproject, error = finder.for_path(path)
        if error:
            message = types.ShowMessageParams(type=types.MessageType.Error, message=f"exportlint: {error}")
            server.window_show_message(message)
        if excluded(path, settings, pyproject):
            return document, settings, []
        return document, settings, lint_document(document.source, path, settings)

    def publish(uri: str) -> None:
        document, _, found = lint(uri)
        lines = physical_lines(document.source)
        diagnostics = [to_lsp(d, lines, document.position_codec) for d in found]
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version)
        )

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        cleared = types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        server.text_document_publish_diagnostics(cleared)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def code_action(params: types.CodeActionParams):
        uri = params.text_document.uri
        document, settings, found = lint(uri)
        lines = physical_lines(document.source)
        codec = document.position_codec
        wanted = params.context.only
        actions = []
        if not wanted or types.CodeActionKind.QuickFix in wanted:
            for d in found:
                diagnostic = to_lsp(d, lines, codec)
                if d.fix is None or not _overlaps(diagnostic.range, params.range):
                    continue
                safety = "" if d.fix.safety == SAFE else " (unsafe: may change eager behaviour)"
                actions.append(types.CodeAction(
                    title=f"{d.code}: {d.fix.title}{safety}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=d.fix.safety == SAFE,
                    edit=types.WorkspaceEdit(changes={uri: [_text_edit(e, lines, codec) for e in d.fix.edits]}),
                ))
        if not wanted or any(kind.startswith(("source.fixAll", FIX_ALL)) for kind in wanted):
            action = _fix_all(uri, document, settings, lines, codec)
            if action is not None:
                actions.append(action)
        return actions

    return server


def _fix_all(uri, document, settings, lines, codec):
    """All safe fixes, re-linted to a fixed point as --fix does, as one edit."""
    from exportlint.fixes.apply import fix_text

    path = document.path or uri
    result = fix_text(document.source, lambda text: lint_document(text, path, settings))
    if result.text == document.source or result.error:
        return None
    end = Edit(1, 1, len(lines) + 1, 1, result.text)
    return types.CodeAction(
        title="exportlint: apply all safe fixes",
        kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes={uri: [_text_edit(end, lines, codec)]}),
    )


def main(argv: Sequence[str] = ()) -> int:
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write("usage: exportlint lsp\n\nA language server for exportlint, over stdio.\n")
        return 0
    if types is None:
        sys.stderr.write("exportlint: error: the language server needs pygls: pip install 'exportlint[lsp]'\n")
        return 2
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    build_server().start_io()
    return 0
