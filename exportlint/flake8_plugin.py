"""flake8 entry point: ``flake8 --select EXP``. Same engine, same findings."""

from __future__ import annotations

import ast
from typing import Any, Iterator, List, Tuple

from exportlint import __version__
from exportlint.config import build_settings
from exportlint.engine import lint_text
from exportlint.files import is_notebook
from exportlint.source import may_contain_models


class ExportLintPlugin:
    name = "exportlint"
    version = __version__

    _settings = None

    def __init__(self, tree: ast.AST, lines: List[str], filename: str) -> None:
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        option_manager.add_option(
            "--exportlint-target-torch", default=None, parse_from_config=True,
            help="torch release exportlint checks against (default: installed torch)",
        )
        option_manager.add_option(
            "--exportlint-strict", default=None, parse_from_config=True, choices=("true", "false"),
            help="target strict (true) or non-strict (false) export; default: torch's default",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:
        strict = getattr(options, "exportlint_strict", None)
        cls._settings = build_settings(
            {
                "target-torch": getattr(options, "exportlint_target_torch", None),
                "strict": None if strict is None else str(strict).lower() == "true",
            }
        )

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        text = "".join(self.lines)
        settings = self._settings or build_settings({})
        if not may_contain_models(text, settings.module_bases) and not is_notebook(self.filename):
            return
        # flake8 applies # noqa itself; its columns are 0-based and printed + 1.
        for d in lint_text(text, self.filename, settings, apply_noqa=False):
            yield d.line, d.column - 1, f"{d.code} {d.message}", type(self)
