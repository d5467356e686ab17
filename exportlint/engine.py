"""Lint one file: decode, prefilter, parse once, analyse once, visit once."""

from __future__ import annotations

import hashlib
import re
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Dict, Iterator, List, Optional, Tuple, Union

import libcst as cst

from exportlint.analysis.facts import NO_FACTS, NO_FLOWS, CallFact, ExternalFacts, FlowSummary
from exportlint.analysis.imports import ImportTable
from exportlint.analysis.kinds import Kind
from exportlint.analysis.library_bases import library_base_kind
from exportlint.analysis.flavours import FlavourTracker
from exportlint.analysis.models import ModelMap
from exportlint.analysis.modules import module_name
from exportlint.analysis.shapes import shapes_of_file, sites_of_file
from exportlint.analysis.site_data import may_hold_export_site
from exportlint.context import FileContext
from exportlint.depth import recursion_budget
from exportlint.diagnostic import Diagnostic, Severity
from exportlint.files import is_notebook
from exportlint.noqa import skips_file, without_suppressed
from exportlint.parse import parse_source
from exportlint.positions import Unplaced
from exportlint.reading import OversizeFile, Unreadable, read_regular_file
from exportlint.rule import Behaviour, Rule
from exportlint.rules import ALL_RULES
from exportlint.source import (
    UndecodableSource, decode, is_nesting_error, may_contain_models, nesting_problem, position,
    python_parse_error, size_limit,
)
from exportlint.target import Target
from exportlint.traversal import FileTimeout, RuleCrash, TracedWalker
from exportlint.tree_from_ast import DEEP, build, in_use

# File-level codes: always reported, like flake8's E999.
PARSE_ERROR = "EXP000"
INTERNAL_ERROR = "EXP001"
TIMEOUT = "EXP002"


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise FileTimeout after ``seconds``; a no-op where signals cannot be used,
    and for no limit (inf, or more than setitimer takes: 1e300 overflows time_t)."""
    usable = (
        0 < seconds < 1e9 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        # Raised where the signal lands: inside a weakref or __del__ callback the interpreter
        # prints and drops it ("Exception ignored in"), and the file would run on unlimited.
        # So the alarm is armed again: until the exception gets out, it keeps coming.
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise FileTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def active_rules(settings) -> List[Tuple[Rule, Behaviour]]:
    """The enabled rules that have something to say about the target."""
    chosen = []
    for rule_class in ALL_RULES:
        if not settings.is_enabled(rule_class.meta.code):
            continue
        behaviour = rule_class.meta.behaviour_for(settings.target)
        if behaviour is not None:
            chosen.append((rule_class(), behaviour))
    return chosen


def _derive_claims(settings) -> None:
    """The rules' claims for the target in both modes (an export call may set
    either), derived once per process from the cases and the data file: a cost
    of the run, never counted against one file's time limit."""
    for strict in (True, False):
        for rule_class in ALL_RULES:
            rule_class.meta.behaviour_for(Target(settings.target.torch, strict))


def _in_mode(settings, strict: bool):
    return replace(settings, target=Target(settings.target.torch, strict))


def _file_diagnostic(path: str, code: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    return Diagnostic(path, line, column, code, message, Severity.ERROR)


_LIBCST_ERROR_PREFIX = re.compile(r"^(?:parser|tokenizer) error: (?:error at \d+:\d+: )?")


def _python_syntax_error(path: str, text: str) -> Optional[Diagnostic]:
    error = python_parse_error(text)
    if isinstance(error, SyntaxError) and not is_nesting_error(error):
        line, column = max(1, error.lineno or 1), max(1, error.offset or 1)
        return _file_diagnostic(path, PARSE_ERROR, f"could not parse: {error.msg or 'invalid syntax'}", line, column)
    return None


def _parse_error(path: str, text: str, libcst_error: Exception) -> Diagnostic:
    """EXP000 for text LibCST cannot parse: in CPython's words (clearer, and at the
    right place) when CPython finds a syntax error too, else in LibCST's."""
    found = _python_syntax_error(path, text)
    if found is not None:
        return found
    if isinstance(libcst_error, cst.ParserSyntaxError):
        message = _LIBCST_ERROR_PREFIX.sub("", libcst_error.message.strip()) or "syntax error"
        line, column = max(1, libcst_error.raw_line), max(1, libcst_error.raw_column + 1)
    else:  # CSTValidationError (an identifier its tokenizer took but Python does not), ...
        message, line, column = f"{type(libcst_error).__name__}: {libcst_error}", 1, 1
    if len(message) > 120:
        message = message[:117] + "..."
    return _file_diagnostic(path, PARSE_ERROR, f"could not parse (LibCST): {message}", line, column)


def _too_large(path: str, size: int, timeout: float) -> Diagnostic:
    mb = 1024 * 1024
    return _file_diagnostic(
        path, TIMEOUT,
        f"file not linted: at {size / mb:.2f} MB it is over the {size_limit(timeout) / mb:.2f} MB "
        f"that the {timeout:g}s timeout allows (a longer --timeout allows more)",
    )


def _may_not_parse(text: str) -> bool:
    """Whether a file with no model code must still go to LibCST, to report a syntax error.

    CPython's parser checks it in about 1/30 of LibCST's time; LibCST has the
    last word (it knows newer grammar than an older interpreter). Before 3.11,
    CPython's parser can overflow the C stack on deep nesting, so there only
    files that may hold models are checked.
    """
    return sys.version_info >= (3, 11) and python_parse_error(text) is not None


@dataclass(frozen=True)
class FileAnalysis:
    """Findings for one file, and what its traced code hands to other files."""

    diagnostics: List[Diagnostic]
    flows: FlowSummary = NO_FLOWS


def _notebook(path: str) -> Diagnostic:
    return _file_diagnostic(
        path, PARSE_ERROR,
        "not linted: a Jupyter notebook is JSON, not Python source "
        "(convert it with `jupyter nbconvert --to script` and lint the .py)",
    )


def lint_text(text: str, path: str, settings, apply_noqa: bool = True, fixes: bool = False) -> List[Diagnostic]:
    """Findings for one file's decoded text, sorted by position, seen alone (no project);
    with ``fixes``, the findings' fixes too (the file is parsed by LibCST, for its layout)."""
    return analyse_text(text, path, settings, apply_noqa=apply_noqa, fixes=fixes).diagnostics


def analyse_text(
    text: str,
    path: str,
    settings,
    facts: ExternalFacts = NO_FACTS,
    module: Optional[Tuple[str, bool]] = None,
    apply_noqa: bool = True,
    flows_only: bool = False,
    fixes: bool = False,
) -> FileAnalysis:
    """Findings for one file's decoded text, with what the project says about it (``facts``).

    ``module`` is the file's (dotted name, is a package); by default read from
    the file system, so relative imports resolve. ``apply_noqa`` off (flake8
    applies noqa itself) still honours ``# exportlint: skip-file``, which flake8
    does not know. ``flows_only``: only what the traced code hands to other files (no
    rule runs, no finding is placed): a file of the project that is not linted. ``fixes``: the
    findings carry their fixes (LibCST parses the file; otherwise its tree is built from
    CPython's ``ast``, tree_from_ast.py, about twice as fast, and has no layout to fix with).
    """
    if is_notebook(path):  # its JSON text often parses as one Python dict: silently clean
        return FileAnalysis([_notebook(path)])
    if skips_file(text, honour_flake8=apply_noqa):
        return FileAnalysis([])
    # A fixed recursion budget (depth.py): the same file gives the same findings in the
    # main process, in a worker and in flake8.
    with recursion_budget():
        return _analyse_text(text, path, settings, facts, module, apply_noqa, flows_only, fixes)


def _analyse_text(text, path, settings, facts, module, apply_noqa, flows_only=False, fixes=False) -> FileAnalysis:
    if (
        not facts.roots and not may_contain_models(text, settings.module_bases) and not _may_not_parse(text)
        and not may_hold_export_site(text)  # an export script: its calls' example inputs are judged here
    ):
        return FileAnalysis([])
    if len(text) > size_limit(settings.timeout):
        return FileAnalysis([_too_large(path, len(text), settings.timeout)])
    _derive_claims(settings)
    try:
        with _time_limit(settings.timeout):
            found, flows = _lint_parsed(text, path, settings, facts, module or module_name(path), flows_only, fixes)
    except FileTimeout:
        message = f"gave up after {settings.timeout:g}s (timeout); file not linted"
        return FileAnalysis([_file_diagnostic(path, TIMEOUT, message)])
    if apply_noqa:
        found = without_suppressed(found, text)
    return FileAnalysis(sorted(found), flows)


def _too_deep(path: str, text: str, what: str, offset: int) -> Diagnostic:
    """EXP000 for text too deeply nested to hand to LibCST (it would crash or hang)."""
    if sys.version_info >= (3, 11):  # older CPython parsers can overflow the C stack too
        found = _python_syntax_error(path, text)  # e.g. a bracket never closed
        if found is not None:
            return found
    line, column = position(text, offset)
    return _file_diagnostic(path, PARSE_ERROR, f"could not parse: {what}; file not linted", line, column)


_NESTING: Dict[bytes, Optional[Tuple[str, int]]] = {}  # sha1 of a text -> nesting_problem(text)
_NESTING_KEPT = 20000


def _nesting_problem(text: str) -> Optional[Tuple[str, int]]:
    """nesting_problem(text), remembered by the text's hash: a project run analyses a file again
    when its facts change (up to three more times), and the scan costs about a tenth of a parse."""
    key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).digest()
    if key in _NESTING:
        return _NESTING[key]
    if len(_NESTING) >= _NESTING_KEPT:
        _NESTING.clear()
    found = _NESTING[key] = nesting_problem(text)
    return found


def _lint_parsed(
    text: str, path: str, settings, facts: ExternalFacts, module_info: Tuple[str, bool], flows_only: bool = False,
    fixes: bool = False,
) -> Tuple[List[Diagnostic], FlowSummary]:
    # Export scripts place their sites with LibCST's positions of the whole module: parsed.
    built = None if fixes or may_hold_export_site(text) else build(text)
    too_deep = _nesting_problem(text) if built is None or built.deepest >= DEEP else None  # (DEEP says why)
    if too_deep is not None:
        return [_too_deep(path, text, *too_deep)], NO_FLOWS
    if built is not None:
        try:
            with in_use(built):
                return _analyse_parsed(built.module, built, text, path, settings, facts, module_info, flows_only)
        except Unplaced:  # a finding on a node the builder did not place: LibCST's parse places it
            pass
    try:
        module = parse_source(text)
    except RecursionError:
        return [_file_diagnostic(path, PARSE_ERROR, "could not parse: RecursionError (too deeply nested)")], NO_FLOWS
    except MemoryError:  # the run's memory, not the file's content: EXP001, never cached
        return [_file_diagnostic(path, INTERNAL_ERROR, "ran out of memory while parsing; file not linted")], NO_FLOWS
    except FileTimeout:
        raise
    except Exception as exc:  # ParserSyntaxError, CSTValidationError, UnicodeEncodeError (lone surrogates)
        return [_parse_error(path, text, exc)], NO_FLOWS
    return _analyse_parsed(module, None, text, path, settings, facts, module_info, flows_only)


def _analyse_parsed(
    module: cst.Module, built, text: str, path: str, settings, facts: ExternalFacts, module_info: Tuple[str, bool],
    flows_only: bool,
) -> Tuple[List[Diagnostic], FlowSummary]:
    try:
        if flows_only:
            return [], _flows_of_module(module, built, text, path, settings, facts, module_info)
        return _analyse_module(module, built, text, path, settings, facts, module_info)
    except RuleCrash as crash:
        if isinstance(crash.error, RecursionError):  # the file's depth, not a bug of the rule
            return [_file_diagnostic(path, PARSE_ERROR, "could not analyse: too deeply nested")], NO_FLOWS
        return [_file_diagnostic(path, INTERNAL_ERROR, f"internal error in rule {crash}; please report it")], NO_FLOWS
    except RecursionError:
        return [_file_diagnostic(path, PARSE_ERROR, "could not analyse: too deeply nested")], NO_FLOWS
    except (FileTimeout, Unplaced):
        raise
    except Exception as exc:  # a bug of ours must not end the run for other files
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"internal error: {type(exc).__name__}: {exc} (at {where.filename}:{where.lineno}); please report it"
        return [_file_diagnostic(path, INTERNAL_ERROR, message)], NO_FLOWS


def _model_map(module: cst.Module, settings, facts: ExternalFacts, module_info: Tuple[str, bool]) -> ModelMap:
    def resolve_base(qualified: str) -> Optional[bool]:
        known, verdict = facts.base_verdict(qualified)
        return verdict if known else library_base_kind(qualified, settings.module_bases)

    return ModelMap(
        module, settings.module_bases, imports=ImportTable(*module_info), resolve_base=resolve_base,
        unresolved_forward_is_module=settings.unresolved_bases_are_modules,
    )


@contextmanager
def _file_context(path: str, settings, model_map: ModelMap, built, text: str) -> Iterator[FileContext]:
    """The file's context, closed (FileContext.close) when its analysis returns or fails."""
    ctx = FileContext(path, settings.target, model_map, built, text)
    try:
        yield ctx
    finally:
        ctx.close()


def _flows_of_module(
    module: cst.Module, built, text: str, path: str, settings, facts: ExternalFacts, module_info: Tuple[str, bool]
) -> FlowSummary:
    """The flow summary _analyse_module gives, without running any rule or placing any finding.

    The walk binds names and records calls and returns by itself; rules only read what
    it binds (and ask kinds, which depend on the scope alone), so the flows are the same.
    Export sites and their shapes only steer which rules run in which mode."""
    model_map = _model_map(module, settings, facts, module_info)
    roots = model_map.roots() + model_map.extra_roots(facts.roots)
    if not roots:
        return NO_FLOWS
    with _file_context(path, settings, model_map, built, text) as ctx:
        walker = TracedWalker(ctx, (), facts)
        walker.run(roots)
        return _flow_summary(walker, ctx, module, text)


def _analyse_module(
    module: cst.Module, built, text: str, path: str, settings, facts: ExternalFacts, module_info: Tuple[str, bool]
) -> Tuple[List[Diagnostic], FlowSummary]:
    model_map = _model_map(module, settings, facts, module_info)
    roots = model_map.roots() + model_map.extra_roots(facts.roots)
    sites = sites_of_file(module, model_map, text)
    if not roots and not sites:
        return [], NO_FLOWS
    rules = active_rules(settings)
    with _file_context(path, settings, model_map, built, text) as ctx:
        ctx.sites = sites
        ctx.site_model = facts.site_model  # forward of a model another file defines, for the site rules
        ctx.flavours = FlavourTracker(shapes_of_file(module, model_map, text, path, settings, ctx.sites,
                                                     foreign_sites=facts.sites))
        walker = TracedWalker(ctx, rules, facts, lambda strict: active_rules(_in_mode(settings, strict)))
        walker.run(roots)
        walker.check_sites()
        crashes = [
            _file_diagnostic(path, INTERNAL_ERROR, f"internal error in rule {crash}; please report it")
            for crash in walker.crashes.values()
        ]
        return ctx.diagnostics(module, text) + crashes, _flow_summary(walker, ctx, module, text)


def _flow_summary(walker: TracedWalker, ctx: FileContext, module: cst.Module, text: str) -> FlowSummary:
    """What the walk found that other files need, origins described as text."""
    # (function key, origin) of what is passed or returned, each placed first in that function: most are born there
    handed = [(key, o) for key, _, args in walker.calls for _, _, o in args]
    handed += [(key, o) for key, kinds in walker.returns.items() for _, o in kinds]
    origins = [(o, walker.holders.get(key, (None, None))) for key, o in handed if o is not None]
    described = ctx.describe_origins(module, text, origins) if origins else {}

    def text_of(origin: object) -> str:
        return described[id(origin)][0] if origin is not None else ""

    calls = tuple(
        CallFact(caller, callee, tuple((slot, kind, text_of(origin)) for slot, kind, origin in args))
        for caller, callee, args in walker.calls
    )
    defaults = tuple((key, tuple((n, k.value) for n, k in kinds.items())) for key, kinds in walker.defaults.items())
    returns = []
    for key, kinds in walker.returns.items():
        distinct = {kind for kind, _ in kinds}
        kind = distinct.pop() if len(distinct) == 1 else Kind.UNKNOWN
        origin = next((text_of(o) for k, o in kinds if o is not None), "") if kind is Kind.DATA else ""
        returns.append((key, kind.value, origin))
    return FlowSummary(calls, defaults, tuple(returns), tuple(sorted(walker.returns_read)))


def lint_bytes(data: bytes, path: str, settings) -> List[Diagnostic]:
    return analyse_bytes(data, path, settings).diagnostics


def lint_path(path: str, settings) -> List[Diagnostic]:
    data, problem = read_for_lint(path, settings)
    return [problem] if problem is not None else lint_bytes(data, path, settings)


def read_for_lint(path: str, settings) -> Tuple[Optional[bytes], Optional[Diagnostic]]:
    """(bytes, None), or (None, the EXP000/EXP002 that says why the file cannot be read)."""
    try:
        # Files far over the size limit are not even worth reading for the prefilter.
        return read_regular_file(path, 64 * size_limit(settings.timeout)), None
    except Unreadable as exc:
        return None, _file_diagnostic(path, PARSE_ERROR, f"could not read: {exc}")
    except OversizeFile as exc:
        return None, _too_large(path, exc.size, settings.timeout)


def analyse_bytes(
    data: bytes, path: str, settings, facts: ExternalFacts = NO_FACTS, flows_only: bool = False, fixes: bool = False,
) -> FileAnalysis:
    try:
        text = decode(data)
    except UndecodableSource as exc:
        return FileAnalysis([_file_diagnostic(path, PARSE_ERROR, f"could not decode: {exc}", exc.line, exc.column)])
    if "\x00" in text:
        line, column = position(text, text.index("\x00"))
        return FileAnalysis([_file_diagnostic(path, PARSE_ERROR, "could not parse: source contains a NUL byte",
                                              line, column)])
    return analyse_text(text, path, settings, facts, flows_only=flows_only, fixes=fixes)


def read_source(path: str, settings) -> Union[bytes, Diagnostic]:
    """The bytes to lint at ``path``, or the finding that says why there are none."""
    data, problem = read_for_lint(path, settings)
    return problem if problem is not None else data
