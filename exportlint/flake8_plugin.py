"""flake8 entry point: ``flake8 --select EXP``. Same engine, same findings."""

from __future__ import annotations

import ast
import os
import sys
from typing import Any, Iterator, List, Tuple

from exportlint import __version__
from exportlint.cache import ProjectCache
from exportlint.config import ConfigError, build_settings, settings_for
from exportlint.per_file_ignores import without_ignored
from exportlint.project_lint import lint_project
from exportlint.files import is_notebook
from exportlint.analysis.site_data import may_hold_export_site
from exportlint.source import may_contain_models


def _any_code_selected(options: Any) -> bool:
    """Whether flake8's select/ignore options let some EXP code through (flake8 runs
    every plugin whatever is selected; the plugin skips its work when none can show)."""
    try:
        from flake8.style_guide import Decision, DecisionEngine

        from exportlint.codes import known_codes  # not the rules: a run that selects none skips LibCST's import

        engine = DecisionEngine(options)
        return any(engine.decision_for(code) is Decision.Selected for code in known_codes())
    except Exception:  # another flake8's internals: run as before
        return True


class ExportLintPlugin:
    name = "exportlint"
    version = __version__

    _settings = None
    _selected = True  # some EXP code can be reported under flake8's select/ignore options

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
        """The CLI's settings (``[tool.exportlint]`` of the pyproject.toml nearest
        the working directory, as the CLI finds it), under the plugin's own
        ``exportlint-*`` flake8 options."""
        strict = getattr(options, "exportlint_strict", None)
        overrides = {
            "target-torch": getattr(options, "exportlint_target_torch", None),
            "strict": None if strict is None else str(strict).lower() == "true",
        }
        try:
            cls._settings = settings_for([], overrides)
        except ConfigError as exc:  # flake8 prints this message and exits 1, no traceback
            from flake8.exceptions import ExecutionError

            raise ExecutionError(f"exportlint: {exc}") from None
        cls._selected = _any_code_selected(options)
        note = cls._settings.target.unmeasured_note()
        if note:  # options are parsed once per flake8 run
            sys.stderr.write(f"exportlint: {note}\n")

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        if not self._selected:
            return  # `flake8 --select E1,F`: nothing of ours would be shown, so nothing is done
        text = "".join(self.lines)
        settings = self._settings or build_settings({})
        if (
            not may_contain_models(text, settings.module_bases) and not self._maybe_traced_from_elsewhere(text)
            and not may_hold_export_site(text) and not is_notebook(self.filename)
        ):
            return
        # The file as the project sees it (its bases, what other files pass it), from
        # the same per-file summaries the CLI caches; flake8 applies # noqa itself. A text
        # flake8 ran on before (the same bytes, the same project) replays its cached findings.
        cache = None if os.environ.get("EXPORTLINT_NO_CACHE") else ProjectCache.open(settings)
        found = next(iter(lint_project([self.filename], settings, jobs=1, cache=cache,
                                       given={self.filename: text}, given_cached=True)))
        if cache is not None:
            cache.save()
        for d in without_ignored(found, settings):  # flake8's columns are 0-based and printed + 1
            yield d.line, d.column - 1, f"{d.code} {d.message}", type(self)

    @staticmethod
    def _maybe_traced_from_elsewhere(text: str) -> bool:
        """A file with functions may hold helpers that traced code of other files calls."""
        return "def " in text
