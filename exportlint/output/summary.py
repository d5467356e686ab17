"""What the run did, on stderr: a progress line while a long run goes on (in a
terminal only), and one summary line at the end, so that a run that found
nothing says so instead of printing nothing."""

from __future__ import annotations

import os
import time
from typing import IO, Iterable, Iterator, List, Optional, Sequence

from exportlint.diagnostic import Diagnostic

# Quiet for runs shorter than this; tests set it to 0 to see the line at once.
PROGRESS_AFTER = float(os.environ.get("EXPORTLINT_PROGRESS_AFTER", "2"))
_REFRESH = 0.2  # seconds between redraws


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary_line(
    files: int, diagnostics: Sequence[Diagnostic], target: str, known: int = 0, baseline: str = ""
) -> str:
    """e.g. "checked 2,597 files (torch 2.13 non-strict export): 375 findings in 212 files",
    or "...: no findings"."""
    if diagnostics:
        with_findings = len({d.path for d in diagnostics})
        found = f"{plural(len(diagnostics), 'finding')} in {plural(with_findings, 'file')}"
    else:
        found = "no new findings" if known else "no findings"
    line = f"exportlint: checked {plural(files, 'file')} ({target} export): {found}"
    if known:
        line += f" ({plural(known, 'known finding')} in the baseline {baseline} not shown)"
    return line + "\n"


def untargeted_note(newest: str) -> str:
    """Said when the target is a guess: no --target-torch, no target-torch in the
    config, no torch installed (a pre-commit environment, a CI job)."""
    return (
        f"exportlint: no torch installed here, so the target is the newest release known, {newest}; "
        "pass --target-torch X.Y (or set target-torch in [tool.exportlint]) to check for the torch you use\n"
    )


class Progress:
    """``exportlint: 120/2,597 files`` redrawn in place on a terminal, after the
    first PROGRESS_AFTER seconds; erased when the run ends."""

    def __init__(self, stream: Optional[IO[str]], total: int) -> None:
        self.stream = stream
        self.total = total
        self.enabled = stream is not None and hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()
        self.drawn_at: Optional[float] = None

    def follow(self, results: Iterable[List[Diagnostic]]) -> Iterator[List[Diagnostic]]:
        done = 0
        try:
            for result in results:
                done += 1
                self._draw(done)
                yield result
        finally:
            if self.drawn_at is not None and self.stream is not None:
                self.stream.write("\r\033[K")
                self.stream.flush()

    def _draw(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < PROGRESS_AFTER:
            return
        if self.drawn_at is not None and now - self.drawn_at < _REFRESH and done < self.total:
            return
        self.drawn_at = now
        assert self.stream is not None
        self.stream.write(f"\rexportlint: {done:,}/{self.total:,} files")
        self.stream.flush()
