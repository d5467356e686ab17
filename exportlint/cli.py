"""The ``exportlint`` command."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import traceback
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator, List, Optional, Sequence, Tuple

from exportlint import __version__
from exportlint.config import ConfigError, settings_for
from exportlint.baseline import BaselineError
from exportlint.diagnostic import Diagnostic
from exportlint.files import MissingPath, discover
from exportlint.output.plain import SourceLines
from exportlint.output.reporters import REPORTERS
from exportlint.output.summary import Progress, plural, summary_line, untargeted_note
from exportlint.per_file_ignores import without_ignored

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# As a shell reports a process ended by the signal (128 + its number). A closed
# output pipe gives 141 (SIGPIPE), not 0: exit 0 means "no findings" here, and a
# CI script under `set -o pipefail` must not take a cut-off report for a clean tree.
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE, EXIT_TERMINATED = 130, 141, 143


class Stopped(BaseException):
    """SIGINT or SIGTERM: end the run (workers included) and exit 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum, frame) -> None:
    # Once: a second Ctrl-C (or a TERM after it) must not interrupt the cleanup the first one started.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Stopped(signum)


@contextmanager
def _signals_end_the_run() -> Iterator[None]:
    """SIGINT and SIGTERM raise Stopped, once; after it they stay ignored (the run is ending)."""
    if threading.current_thread() is not threading.main_thread():  # signal.signal works only there
        yield
        return
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    stopped = False
    try:
        yield
    except Stopped:
        stopped = True  # the handlers stay as _stop left them: ignoring the next signal
        raise
    finally:
        if not stopped:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null, so that the interpreter's
    last flush at exit does not print a traceback of its own."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, no traceback
        self.exit(EXIT_ERROR, f"exportlint: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="exportlint",
        description="Find code that torch.export will reject or silently specialise.",
        epilog="Run `exportlint verify` to check the rules against your installed torch.",
    )
    parser.add_argument("paths", nargs="*", help="files or directories to lint; '-' reads stdin")
    parser.add_argument("--select", help="comma-separated codes or prefixes to enable (default: EXP)")
    parser.add_argument("--ignore", help="comma-separated codes or prefixes to disable")
    parser.add_argument("--extend-select", help="codes or prefixes to enable on top of --select")
    parser.add_argument("--exclude", help="comma-separated globs of paths to skip (replaces the defaults)")
    parser.add_argument("--extend-exclude", help="globs of paths to skip, on top of the defaults")
    parser.add_argument(
        "--format", choices=sorted(REPORTERS), default="text",
        help="text (default): each finding with its source line and rule; concise: one line a finding",
    )
    parser.add_argument("--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--target-torch", metavar="X.Y", help="torch release to check against (default: installed)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--strict", dest="strict", action="store_true", default=None, help="target strict export")
    mode.add_argument("--non-strict", dest="strict", action="store_false", help="target non-strict export")
    parser.add_argument(
        "--force-exclude", action="store_true",
        help="apply the excludes to files named on the command line too (for pre-commit)",
    )
    parser.add_argument(
        "--baseline", metavar="FILE",
        help="report only findings not in FILE; a missing FILE is created from today's findings",
    )
    parser.add_argument("--add-noqa", action="store_true", help="add # noqa: CODE to every line with a finding")
    parser.add_argument("--stdin-filename", help="path to report for source read from stdin")
    parser.add_argument("--config", help="pyproject.toml to read [tool.exportlint] from")
    parser.add_argument("-j", "--jobs", type=int, help="worker processes (default: number of cores)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write .exportlint_cache")
    parser.add_argument("--timeout", type=float, help="seconds allowed per file (default 30)")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument(
        "--statistics", action="store_true",
        help="a count per code: after the findings, or in the json/sarif document",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary or progress line on stderr")
    parser.add_argument("--no-color", action="store_true", help="never colour the text output")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes, then report what is left")
    parser.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes too")
    parser.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; change nothing")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--explain", metavar="RULE", help="print a rule's documentation (code or name) and exit")
    parser.add_argument("--version", action="version", version=f"exportlint {__version__}")
    return parser


def _overrides(args: argparse.Namespace) -> dict:
    return {
        "select": args.select,
        "ignore": args.ignore,
        "extend-select": args.extend_select,
        "exclude": args.exclude,
        "extend-exclude": args.extend_exclude,
        "target-torch": args.target_torch,
        "strict": args.strict,
        "timeout": args.timeout,
    }


def _never_fail_to_print() -> None:
    """Paths that are not valid UTF-8 (os.walk hands them over as surrogates), or
    any non-ASCII under an ASCII locale, would stop the report with a traceback."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _never_fail_to_print()
    if argv[:1] == ["verify"]:
        from exportlint.verify import main as verify_main

        return verify_main(argv[1:])
    if argv[:1] == ["lsp"]:
        from exportlint.lsp import main as lsp_main

        return lsp_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        with _signals_end_the_run():
            code = _run(args)
            sys.stdout.flush()  # a closed pipe is reported here, not at interpreter exit
            return code
    except Stopped as stop:
        interrupted = stop.signum == signal.SIGINT
        sys.stderr.write(f"exportlint: {'interrupted' if interrupted else 'terminated'}\n")
        return EXIT_INTERRUPTED if interrupted else EXIT_TERMINATED
    except KeyboardInterrupt:  # a SIGINT that came before our handler or in a thread
        sys.stderr.write("exportlint: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except (ConfigError, BaselineError) as exc:
        sys.stderr.write(f"exportlint: error: {exc}\n")
        return EXIT_ERROR
    except MissingPath as exc:
        sys.stderr.write(f"exportlint: error: no such file or directory: {exc}\n")
        return EXIT_ERROR
    except Exception as exc:  # a bug of ours: exit 2 with one line, never a traceback
        where = traceback.extract_tb(exc.__traceback__)[-1]
        sys.stderr.write(
            f"exportlint: internal error: {type(exc).__name__}: {exc} "
            f"(at {where.filename}:{where.lineno}); please report it\n"
        )
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError("--jobs must be at least 1")
    if args.add_noqa and args.baseline:
        raise ConfigError("--add-noqa and --baseline do not go together: choose one way to adopt")
    settings = settings_for(args.paths, _overrides(args), args.config)
    if args.list_rules or args.explain:
        return _show_rules(args, settings)
    if not args.paths:
        raise ConfigError("no paths given (try `exportlint .`)")
    if args.fix or args.diff:
        return _fix(args, settings)

    sources = SourceLines()
    diagnostics, checked = _lint(args, settings, sources)
    diagnostics = without_ignored(diagnostics, settings)
    if args.add_noqa:
        return _add_noqa(diagnostics)
    known = 0
    if args.baseline:
        from exportlint import baseline

        keys = baseline.Keys(args.baseline, sources)
        if not os.path.exists(args.baseline):
            baseline.record(args.baseline, diagnostics, keys)
            _note(
                args, f"exportlint: recorded {plural(len(diagnostics), 'finding')} in {args.baseline}; "
                "later runs with this --baseline report only new ones\n",
            )
            return EXIT_CLEAN
        result = baseline.check(diagnostics, baseline.load(args.baseline), keys)
        diagnostics, known = result.new, result.known
    _report(args, diagnostics, sources, settings.target)
    note = settings.target.unmeasured_note()
    if note:  # once per run, never mixed into the findings
        _note(args, f"exportlint: {note}\n")
    if _target_is_a_guess(args):
        _note(args, untargeted_note(settings.target.describe().rsplit(" ", 1)[0]))
    _note(args, summary_line(checked, diagnostics, settings.target.describe(), known, args.baseline or ""))
    if diagnostics and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _fix(args: argparse.Namespace, settings) -> int:
    """--diff: the diff, exit 1 when it is not empty; --fix: the findings left, exit as a lint run."""
    from exportlint.fixes.run import run

    diagnostics, changed = run(args, settings)
    if args.diff:
        return EXIT_FINDINGS if changed and not args.exit_zero else EXIT_CLEAN
    report_to = sys.stderr if "-" in args.paths else sys.stdout  # stdout holds the fixed source
    REPORTERS[args.format](diagnostics, report_to, no_color=args.no_color, statistics=args.statistics)
    return EXIT_FINDINGS if diagnostics and not args.exit_zero else EXIT_CLEAN


def _target_is_a_guess(args: argparse.Namespace) -> bool:
    from exportlint.config import find_pyproject, load_pyproject
    from exportlint.target import installed_torch

    if args.target_torch is not None or installed_torch() is not None:
        return False
    found = Path(args.config) if args.config else find_pyproject(Path.cwd())
    return not (found and load_pyproject(found).get("target-torch"))


def _note(args: argparse.Namespace, line: str) -> None:
    if not args.quiet:
        sys.stderr.write(line)


def _report(args: argparse.Namespace, diagnostics: List[Diagnostic], sources: SourceLines, target=None) -> None:
    options = {"no_color": args.no_color, "statistics": args.statistics, "source_lines": sources, "target": target}
    if args.output_file is None:
        REPORTERS[args.format](diagnostics, sys.stdout, **options)
        return
    try:
        with open(args.output_file, "w", encoding="utf-8") as stream:
            REPORTERS[args.format](diagnostics, stream, **options)
    except OSError as exc:
        raise ConfigError(f"cannot write --output-file: {exc}") from None


def _add_noqa(diagnostics: List[Diagnostic]) -> int:
    from exportlint.add_noqa import add_noqa

    added = add_noqa(diagnostics)
    sys.stderr.write(f"exportlint: added {plural(added.comments, 'noqa comment')} to {plural(added.files, 'file')}\n")
    for path in added.skipped:
        sys.stderr.write(f"exportlint: could not edit {path}\n")
    return EXIT_ERROR if added.skipped else EXIT_CLEAN


def _show_rules(args: argparse.Namespace, settings) -> int:
    from exportlint.docs import explain, list_rules  # imports every rule and case: only when asked

    if args.list_rules:
        sys.stdout.write(list_rules(settings))
        return EXIT_CLEAN
    page = explain(args.explain)
    if page is None:
        from exportlint.docs import closest_rule

        closest = closest_rule(args.explain)
        hint = f"; did you mean {closest}?" if closest else " (`exportlint --list-rules` lists them)"
        raise ConfigError(f"unknown rule: {args.explain}{hint}")
    sys.stdout.write(page)
    return EXIT_CLEAN


def _lint(args: argparse.Namespace, settings, sources: SourceLines) -> Tuple[List[Diagnostic], int]:
    """The findings of the run, and how many files it checked."""
    from exportlint.cache import ProjectCache
    from exportlint.project_lint import lint_project

    found: List[Diagnostic] = []
    files = [p for p in args.paths if p != "-"]
    if "-" in args.paths:
        from exportlint.engine import lint_bytes
        from exportlint.source import UndecodableSource, decode

        data = _read_stdin()
        name = args.stdin_filename or "-"
        found.extend(lint_bytes(data, name, settings))
        try:
            sources.remember(name, decode(data))
        except UndecodableSource:
            pass
    excludes = settings.exclude + settings.extend_exclude
    paths = list(discover(files, excludes, force_exclude=args.force_exclude))
    cache = None if args.no_cache else ProjectCache.open(settings)
    progress = Progress(sys.stderr if not args.quiet else None, len(paths))
    # closing: whatever ends the loop early (a signal) stops the workers at once.
    with closing(lint_project(paths, settings, jobs=args.jobs, cache=cache)) as results:
        for file_findings in progress.follow(results):
            found.extend(file_findings)
    if cache is not None:
        cache.save()
    return found, len(paths) + (1 if "-" in args.paths else 0)


def _read_stdin() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise ConfigError("'-' reads source from stdin, but stdin is closed")
    try:
        return stream.read()
    except OSError as exc:
        raise ConfigError(f"'-' reads source from stdin, but stdin cannot be read: {exc.strerror or exc}") from None
