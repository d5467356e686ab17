"""The one record every check produces, whatever reports it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Optional

from exportlint.fix import Fix


class Severity(str, enum.Enum):
    ERROR = "error"  # export fails on the target torch
    WARNING = "warning"  # export succeeds but the program differs from eager


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int  # 1-based
    column: int  # 1-based, in characters
    code: str
    message: str
    severity: Severity = Severity.ERROR
    end_line: int = 0
    end_column: int = 0
    case: str = ""  # name of the catalog case that shows the pattern
    fix: Optional[Fix] = field(default=None, compare=False)  # the edits --fix applies, if any

    @property
    def url(self) -> str:
        from exportlint.codes import doc_url

        return doc_url(self.code)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line or self.line,
            "end_column": self.end_column or self.column,
            "severity": self.severity.value,
            "case": self.case,
            "url": self.url,
        }
