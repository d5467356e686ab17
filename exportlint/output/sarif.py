"""SARIF 2.1.0, the format GitHub code scanning reads."""

from __future__ import annotations

import os
import re
from typing import Any, Dict, List, Sequence
from urllib.parse import quote

from exportlint import DOCS_URL
from exportlint.codes import doc_url
from exportlint.diagnostic import Diagnostic, Severity
from exportlint.rules import ALL_RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_FILE_CODES = {
    "EXP000": "file could not be read, decoded or parsed",
    "EXP001": "internal error while linting the file",
    "EXP002": "linting the file took longer than the time limit",
}


# RFC 3986 pchar, less ':' (in a first segment it would read as a URI scheme:
# `a:b.py`); '/' separates segments. Everything else, '#', '?', '%', spaces and
# non-ASCII (as UTF-8, or the raw bytes of a name that is not UTF-8), is encoded.
_PATH_SAFE = "/-._~!$&'()*+,;=@"
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:/")


def artifact_uri(path: str) -> str:
    """The SARIF ``artifactLocation.uri`` of a path: a relative reference for a
    relative path, a file: URI for an absolute one, percent-encoded either way."""
    if os.altsep is not None or os.sep != "/":  # Windows: both separators are '/'
        path = path.replace("\\", "/")
    encoded = quote(os.fsencode(path), safe=_PATH_SAFE)
    if path.startswith("/"):
        return "file://" + encoded
    if _WINDOWS_DRIVE.match(path):
        return "file:///" + path[:2] + encoded[4:]  # C%3A/x -> C:/x
    return encoded


def _rule_descriptors() -> List[Dict[str, Any]]:
    rules = []
    for code, text in _FILE_CODES.items():
        rules.append({"id": code, "shortDescription": {"text": text}, "helpUri": doc_url(code)})
    for rule in ALL_RULES:
        meta = rule.meta
        rules.append(
            {
                "id": meta.code,
                "name": meta.name,
                "shortDescription": {"text": meta.summary},
                "fullDescription": {"text": meta.why},
                "help": {
                    "text": f"{meta.why} Instead: {meta.instead}.",
                    "markdown": f"{meta.why}\n\n**Instead:** {meta.instead}.",
                },
                "helpUri": doc_url(meta.code),
                "properties": {"cases": list(meta.cases)},
            }
        )
    return rules


def sarif_log(diagnostics: Sequence[Diagnostic], version: str, target=None) -> Dict[str, Any]:
    """The log; ``target`` (a Target) adds the run's torch target, the measured
    release its findings use, and whether the target itself was measured."""
    rules = _rule_descriptors()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for d in diagnostics:
        result: Dict[str, Any] = {
            "ruleId": d.code,
            "level": "error" if d.severity is Severity.ERROR else "warning",
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(d.path)},
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line or d.line,
                            "endColumn": d.end_column or d.column,
                        },
                    }
                }
            ],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    run: Dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "exportlint",
                "version": version,
                "informationUri": DOCS_URL,
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if target is not None:
        properties = target.properties()
        note = target.unmeasured_note()
        if note:
            properties["note"] = note
        run["properties"] = properties
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
