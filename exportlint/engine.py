"""Lint one file: decode, prefilter, parse once, analyse once, visit once."""

from __future__ import annotations

import re
import signal
import sys
import threading
import traceback
from collections import deque
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst

from exportlint.diagnostic import Diagnostic, Severity
from exportlint.imports import dotted_name
from exportlint.kinds import Classifier, Kind, Scope, combine, is_training_flag, parallel_assignment
from exportlint.noqa import is_suppressed
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.rules import ALL_RULES
from exportlint.source import (
    UndecodableSource, decode, is_nesting_error, may_contain_models, nesting_problem, physical_lines, position,
    python_parse_error, size_limit,
)
from exportlint.target import Target
from exportlint.positions import locate
from exportlint.reading import OversizeFile, Unreadable, read_regular_file
from exportlint.traced import ModelMap, TracedFunction
from exportlint.walk import walk

# File-level codes: always reported, like flake8's E999.
PARSE_ERROR = "EXP000"
INTERNAL_ERROR = "EXP001"
TIMEOUT = "EXP002"


class FileTimeout(Exception):
    pass


class FileContext:
    """What rules see of the file being linted, and where they report."""

    def __init__(self, path: str, target: Target, model_map: ModelMap) -> None:
        self.path = path
        self.target = target
        self.model_map = model_map
        self.classifier = Classifier(model_map.imports, self._self_attribute_kind)
        self.scope = Scope()
        self.function: Optional[TracedFunction] = None
        self._pending: List[Tuple[cst.CSTNode, Optional[cst.CSTNode], RuleMeta, str, Severity]] = []

    def _self_attribute_kind(self, attr: str) -> Kind:
        owner = self.function.owner if self.function else None
        return self.model_map.attribute_kind(owner, attr)

    def kind(self, node: cst.BaseExpression) -> Kind:
        return self.classifier.kind(node, self.scope)

    def qualify(self, node: cst.BaseExpression) -> Optional[str]:
        return self.model_map.imports.qualify(node)

    def builtin(self, func: cst.BaseExpression) -> Optional[str]:
        return self.classifier.builtin(func, self.scope)

    def add(self, node: cst.CSTNode, meta: RuleMeta, message: str, severity: Severity) -> None:
        holder = self.model_map.holder(self.function.node) if self.function is not None else None
        self._pending.append((node, holder, meta, message, severity))

    def diagnostics(self, module: cst.Module, text: str) -> List[Diagnostic]:
        if not self._pending:
            return []
        spans = locate(module, text, [(node, holder) for node, holder, *_ in self._pending])
        found = []
        for node, _, meta, message, severity in self._pending:
            line, column, end_line, end_column = spans[id(node)]
            found.append(
                Diagnostic(
                    self.path, line, column + 1, meta.code, message,
                    severity, end_line, end_column + 1, meta.cases[0],
                )
            )
        return found


def _annotation_kind(annotation: Optional[cst.Annotation]) -> Optional[Kind]:
    if annotation is None:
        return None
    return _annotated_kind(annotation.annotation)


_PYTHON_SCALARS = frozenset({"int", "float", "bool", "str"})
_PYTHON_VALUES = frozenset({Kind.SIZE, Kind.SHAPE, Kind.CONST, Kind.DATA})


def _annotated_kind(node: cst.BaseExpression) -> Kind:
    """TENSOR for `Tensor`, `torch.FloatTensor`, `Optional[Tensor]`, `Tensor | None`;
    CONST for int/float/bool/str; UNKNOWN for the rest, containers of tensors
    included (`list[Tensor]` is a Python list: its truth and length are static)."""
    if isinstance(node, cst.SimpleString):  # a forward reference: "torch.Tensor"
        text = node.raw_value.strip()
        name = text.rsplit(".", 1)[-1]
        if name.isidentifier() and all(part.isidentifier() for part in text.split(".")):
            return _named_kind(name)
        return Kind.UNKNOWN
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):  # X | None
        if _is_none(node.right):
            return _annotated_kind(node.left)
        return _annotated_kind(node.right) if _is_none(node.left) else Kind.UNKNOWN
    if isinstance(node, cst.Subscript):
        wrapper = dotted_name(node.value) or ""
        members = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
        if wrapper.rsplit(".", 1)[-1] in ("Optional", "Union"):
            kinds = {_annotated_kind(m) for m in members if not _is_none(m)}
            return kinds.pop() if len(kinds) == 1 else Kind.UNKNOWN
        return Kind.UNKNOWN
    name = dotted_name(node)
    return _named_kind(name.rsplit(".", 1)[-1]) if name else Kind.UNKNOWN


def _named_kind(name: str) -> Kind:
    if name.endswith("Tensor"):  # Tensor, FloatTensor, LongTensor, ...
        return Kind.TENSOR
    return Kind.CONST if name in _PYTHON_SCALARS else Kind.UNKNOWN


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _literal_default(default: Optional[cst.BaseExpression]) -> bool:
    """A default that is a Python value (False, 0, "x"), not None and not a call."""
    if isinstance(default, (cst.Integer, cst.Float, cst.SimpleString)):
        return True
    return isinstance(default, cst.Name) and default.value in ("True", "False")


def _parameter_kinds(traced: TracedFunction, call_site: Optional[List[Kind]]) -> Dict[str, Kind]:
    """Kinds of a traced function's parameters.

    forward's inputs are what the user passes to export: unannotated ones with
    no default are tensors; a Python literal default makes a flag, whatever the
    annotation claims (`output_attentions: Tensor | None = False`); an
    unannotated None default could be a tensor or a cache object, so unknown.
    Helpers take the kinds their first traced call site passed, else what their
    annotations say.
    """
    params = traced.node.params
    kinds: Dict[str, Kind] = {}
    positional = list(params.posonly_params) + list(params.params)
    if traced.owner is not None and positional:
        positional = positional[1:]  # self
    for index, param in enumerate(positional + list(params.kwonly_params)):
        declared = _annotation_kind(param.annotation)
        if _literal_default(param.default):
            kind = Kind.CONST
        elif declared is not None:
            kind = declared
        elif traced.is_forward:
            kind = Kind.TENSOR if param.default is None else Kind.UNKNOWN
            passed = call_site[index] if call_site is not None and index < len(call_site) else None
            if passed in _PYTHON_VALUES:  # a parent module passes a size or a number, not a tensor
                kind = passed
        elif call_site is not None and index < len(call_site):
            kind = call_site[index]
        else:
            kind = Kind.UNKNOWN
        kinds[param.name.value] = kind
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            kinds[star.name.value] = Kind.UNKNOWN
    return kinds


def _training_only(test: cst.BaseExpression) -> bool:
    while isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        test = test.left
    return is_training_flag(test)


class _TracedWalker:
    """One traversal of the traced functions, running every rule's handlers."""

    def __init__(self, ctx: FileContext, rules: Sequence[Tuple[Rule, Behaviour]]) -> None:
        self.ctx = ctx
        self.dispatch: Dict[str, List[Tuple[Rule, Behaviour, str]]] = {}
        for rule, behaviour in rules:
            for node_type, method in rule.handlers.items():
                self.dispatch.setdefault(node_type, []).append((rule, behaviour, method))
        self._queue: deque = deque()
        self._seen: Set[int] = set()
        self._visited: List[TracedFunction] = []  # in visiting order
        self.crashes: Dict[str, "RuleCrash"] = {}  # rule code -> its first exception in this file
        self._call_sites: Dict[int, List[Kind]] = {}
        self._root_function: Optional[cst.FunctionDef] = None

    def run(self, roots: Sequence[TracedFunction]) -> None:
        for root in roots:
            self._enqueue(root)
        while self._queue:
            traced = self._queue.popleft()
            self._visited.append(traced)
            self.ctx.function = traced
            self.ctx.scope = Scope()
            self.ctx.scope.names.update(_parameter_kinds(traced, self._call_sites.get(id(traced.node))))
            self._root_function = traced.node
            walk(traced.node, self)

    def _enqueue(self, traced: TracedFunction) -> None:
        if id(traced.node) not in self._seen:
            self._seen.add(id(traced.node))
            self._queue.append(traced)

    # Dispatch ---------------------------------------------------------------
    def on_visit(self, node: cst.CSTNode) -> bool:
        name = type(node).__name__
        for rule, behaviour, method in self.dispatch.get(name, ()):
            if rule.meta.code not in self.crashes:
                self._run_handler(rule, behaviour, method, node)
        if isinstance(node, cst.If) and _training_only(node.test):
            # export runs eval-mode models: the body is not traced, the rest is.
            walk(node.test, self)
            if node.orelse is not None:
                walk(node.orelse, self)
            return False
        if isinstance(node, cst.FunctionDef) and node is not self._root_function:
            self._enter_nested_function(node)
        elif isinstance(node, cst.Call):
            self._follow_call(node)
        elif isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            self._bind_comprehension(node.for_in)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, cst.FunctionDef) and original_node is not self._root_function:
            self.ctx.scope = self.ctx.scope.parent or Scope()
        elif isinstance(original_node, cst.Assign):
            value = original_node.value
            for target in original_node.targets:
                if parallel_assignment(target.target, value):  # h, w = x.shape[1], x.shape[2]
                    for element, item in zip(target.target.elements, value.elements):
                        self._bind(element.value, self.ctx.kind(item.value))
                else:
                    self._bind(target.target, self.ctx.kind(value))
        elif isinstance(original_node, cst.AnnAssign) and original_node.value is not None:
            self._bind(original_node.target, self.ctx.kind(original_node.value))
        elif isinstance(original_node, cst.AugAssign):
            merged = combine(self.ctx.kind(original_node.target), self.ctx.kind(original_node.value))
            self._bind(original_node.target, merged)
        elif isinstance(original_node, cst.NamedExpr):
            self._bind(original_node.target, self.ctx.kind(original_node.value))

    def _run_handler(self, rule: Rule, behaviour: Behaviour, method: str, node: cst.CSTNode) -> None:
        try:
            getattr(rule, method)(node, self.ctx, behaviour)
        except FileTimeout:
            raise
        except RecursionError as exc:  # the file's depth, not a bug of the rule
            raise RuleCrash(rule.meta.code, exc) from exc
        except Exception as exc:  # one broken rule must not hide the others: it sits out the file
            self.crashes[rule.meta.code] = RuleCrash(rule.meta.code, exc)

    # Names and scopes -----------------------------------------------------
    def _enter_nested_function(self, node: cst.FunctionDef) -> None:
        scope = Scope(self.ctx.scope)
        scope.names.update(_parameter_kinds(TracedFunction(node, None), None))
        self.ctx.scope = scope

    def _bind(self, target: cst.BaseExpression, kind: Kind) -> None:
        if isinstance(target, cst.Name):
            self.ctx.scope.names[target.value] = kind
        elif isinstance(target, (cst.Tuple, cst.List)):
            # `b, n = x.shape` binds sizes; `q, k = t.chunk(2)` binds tensors.
            each = {Kind.SHAPE: Kind.SIZE, Kind.TENSOR: Kind.TENSOR, Kind.DATA: Kind.DATA}.get(kind, Kind.UNKNOWN)
            for element in target.elements:
                self._bind(element.value, each)

    def _bind_comprehension(self, comp: Optional[cst.CompFor]) -> None:
        while comp is not None:
            source = self.ctx.kind(comp.iter)
            self._bind(comp.target, source if source in (Kind.TENSOR, Kind.DATA) else Kind.UNKNOWN)
            comp = comp.inner_for_in

    def _bind_loop(self, node: cst.For) -> None:
        source = self.ctx.kind(node.iter)
        self._bind(node.target, source if source in (Kind.TENSOR, Kind.DATA) else Kind.UNKNOWN)

    def before_loop_body(self, node: cst.For) -> None:
        self._bind_loop(node)

    def _follow_call(self, call: cst.Call) -> None:
        if self.ctx.function is None:
            return
        callee = self.ctx.model_map.callee(call, self.ctx.function)
        if callee is None:
            # self.block(x, h, w): the submodule's forward is a root of its own,
            # walked after this one; it learns what its parent passes.
            callee = self.ctx.model_map.submodule_forward(call, self.ctx.function)
            if callee is not None and id(callee.node) not in self._call_sites:
                self._call_sites[id(callee.node)] = self._positional_kinds(call)
            return
        if id(callee.node) not in self._call_sites:
            self._call_sites[id(callee.node)] = self._positional_kinds(call)
        self._enqueue(callee)

    def _positional_kinds(self, call: cst.Call) -> List[Kind]:
        kinds = []
        for arg in call.args:
            if arg.keyword is not None or arg.star:
                break  # after *args the positions are unknown
            kinds.append(self.ctx.kind(arg.value))
        return kinds


class RuleCrash(Exception):
    def __init__(self, code: str, error: Exception) -> None:
        super().__init__(f"{code}: {type(error).__name__}: {error}")
        self.code = code
        self.error = error


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


def lint_text(text: str, path: str, settings, apply_noqa: bool = True) -> List[Diagnostic]:
    """Findings for one file's decoded text, sorted by position."""
    if not may_contain_models(text, settings.module_bases) and not _may_not_parse(text):
        return []
    if len(text) > size_limit(settings.timeout):
        return [_too_large(path, len(text), settings.timeout)]
    try:
        with _time_limit(settings.timeout):
            found = _lint_parsed(text, path, settings)
    except FileTimeout:
        return [_file_diagnostic(path, TIMEOUT, f"gave up after {settings.timeout:g}s (timeout); file not linted")]
    if apply_noqa:
        lines = physical_lines(text)
        found = [d for d in found if not is_suppressed(d.code, d.line, lines)]
    return sorted(found)


def _too_deep(path: str, text: str, what: str, offset: int) -> Diagnostic:
    """EXP000 for text too deeply nested to hand to LibCST (it would crash or hang)."""
    if sys.version_info >= (3, 11):  # older CPython parsers can overflow the C stack too
        found = _python_syntax_error(path, text)  # e.g. a bracket never closed
        if found is not None:
            return found
    line, column = position(text, offset)
    return _file_diagnostic(path, PARSE_ERROR, f"could not parse: {what}; file not linted", line, column)


def _lint_parsed(text: str, path: str, settings) -> List[Diagnostic]:
    too_deep = nesting_problem(text)
    if too_deep is not None:
        return [_too_deep(path, text, *too_deep)]
    try:
        module = cst.parse_module(text)
    except (RecursionError, MemoryError) as exc:
        return [_file_diagnostic(path, PARSE_ERROR, f"could not parse: {type(exc).__name__} (too deeply nested)")]
    except FileTimeout:
        raise
    except Exception as exc:  # ParserSyntaxError, CSTValidationError, UnicodeEncodeError (lone surrogates)
        return [_parse_error(path, text, exc)]
    try:
        model_map = ModelMap(module, settings.module_bases)
        roots = model_map.roots()
        if not roots:
            return []
        rules = active_rules(settings)
        if not rules:
            return []
        ctx = FileContext(path, settings.target, model_map)
        walker = _TracedWalker(ctx, rules)
        walker.run(roots)
        crashes = [
            _file_diagnostic(path, INTERNAL_ERROR, f"internal error in rule {crash}; please report it")
            for crash in walker.crashes.values()
        ]
        return ctx.diagnostics(module, text) + crashes
    except RuleCrash as crash:
        if isinstance(crash.error, RecursionError):  # the file's depth, not a bug of the rule
            return [_file_diagnostic(path, PARSE_ERROR, "could not analyse: too deeply nested")]
        return [_file_diagnostic(path, INTERNAL_ERROR, f"internal error in rule {crash}; please report it")]
    except RecursionError:
        return [_file_diagnostic(path, PARSE_ERROR, "could not analyse: too deeply nested")]
    except FileTimeout:
        raise
    except Exception as exc:  # a bug of ours must not end the run for other files
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return [
            _file_diagnostic(
                path, INTERNAL_ERROR,
                f"internal error: {type(exc).__name__}: {exc} (at {where.filename}:{where.lineno}); please report it",
            )
        ]


def lint_bytes(data: bytes, path: str, settings) -> List[Diagnostic]:
    try:
        text = decode(data)
    except UndecodableSource as exc:
        return [_file_diagnostic(path, PARSE_ERROR, f"could not decode: {exc}", exc.line, exc.column)]
    if "\x00" in text:
        line, column = position(text, text.index("\x00"))
        return [_file_diagnostic(path, PARSE_ERROR, "could not parse: source contains a NUL byte", line, column)]
    return lint_text(text, path, settings)


def lint_path(path: str, settings) -> List[Diagnostic]:
    try:
        # Files far over the size limit are not even worth reading for the prefilter.
        data = read_regular_file(path, 64 * size_limit(settings.timeout))
    except Unreadable as exc:
        return [_file_diagnostic(path, PARSE_ERROR, f"could not read: {exc}")]
    except OversizeFile as exc:
        return [_too_large(path, exc.size, settings.timeout)]
    return lint_bytes(data, path, settings)
