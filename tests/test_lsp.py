"""`exportlint lsp` over stdio, driven by pygls's own client: open, edit and
close a model file; diagnostics and a quick fix arrive and clear."""

import asyncio
import sys

from lsprotocol import types
from pygls.lsp.client import LanguageClient

MODEL = '''\
import torch


class Model(torch.nn.Module):
    def forward(self, x):
        tag, rows = "\U0001F600", torch.sym_min(x.size(0), 4)  # the emoji is 2 UTF-16 units, 1 character
        self.last_rows = rows
        return x[:rows]
'''
CLEAN = '''\
import torch


class Model(torch.nn.Module):
    def forward(self, x):
        return x * 2
'''
PYPROJECT = '[tool.exportlint]\ntarget-torch = "2.7"\nstrict = true\n'  # EXP102 speaks only there


class Session:
    def __init__(self, client):
        self.client = client
        self.published = asyncio.Queue()

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params):
            self.published.put_nowait(params)

    async def next_diagnostics(self):
        return await asyncio.wait_for(self.published.get(), timeout=60)


async def _scenario(root):
    uri = (root / "pkg" / "model.py").as_uri()
    client = LanguageClient("exportlint-test", "1")
    session = Session(client)

    def quick_fixes():
        return client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=5, character=0), end=types.Position(line=5, character=80)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.QuickFix]),
        ))
    await client.start_io(sys.executable, "-m", "exportlint", "lsp")
    try:
        await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=root.as_uri(),
        ))
        client.initialized(types.InitializedParams())

        client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=MODEL)
        ))
        opened = await session.next_diagnostics()

        actions = await quick_fixes()

        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=CLEAN)],
        ))
        edited = await session.next_diagnostics()
        actions_after_edit = await quick_fixes()

        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=MODEL)],
        ))
        await session.next_diagnostics()
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)
        ))
        closed = await session.next_diagnostics()
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
    return opened, actions, edited, actions_after_edit, closed


def test_language_server_publishes_fixes_and_clears(tmp_path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "pkg").mkdir()
    opened, actions, edited, actions_after_edit, closed = asyncio.run(_scenario(tmp_path))

    by_code = {d.code: d for d in opened.diagnostics}
    assert set(by_code) == {"EXP102", "EXP201"}, opened.diagnostics  # the project's target-torch was read
    sym_min, mutation = by_code["EXP102"], by_code["EXP201"]
    assert sym_min.severity == types.DiagnosticSeverity.Error  # fails on 2.7 strict: an error, not a warning
    assert (sym_min.range.start, sym_min.range.end) == (
        types.Position(line=5, character=26), types.Position(line=5, character=53)
    )  # the call itself, not the line; UTF-16 columns
    assert sym_min.code_description.href.endswith("#exp102-sym-min-max")
    assert "safe fix" in sym_min.message
    assert (mutation.range.start, mutation.range.end) == (
        types.Position(line=6, character=8), types.Position(line=6, character=22)
    )

    [action] = actions
    assert action.kind == types.CodeActionKind.QuickFix and action.is_preferred
    [edit] = action.edit.changes[opened.uri]
    assert edit.new_text == "min" and edit.range == types.Range(
        start=types.Position(line=5, character=26), end=types.Position(line=5, character=39)
    )

    assert list(edited.diagnostics) == []  # the edit removed both findings
    assert not actions_after_edit  # and the quick fix with them
    assert list(closed.diagnostics) == []  # closing clears what the reopened text had


def test_information_severity_for_advice():
    from exportlint.diagnostic import Diagnostic, Severity
    from exportlint.lsp import severity

    advice = Diagnostic("m.py", 1, 1, "EXP301", "advice", Severity.WARNING)
    assert severity(advice) == types.DiagnosticSeverity.Information
    assert severity(Diagnostic("m.py", 1, 1, "EXP212", "x", Severity.WARNING)) == types.DiagnosticSeverity.Warning
