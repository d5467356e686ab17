"""One read-only traversal of the traced functions, running every rule's handlers.

Names are bound as the walk passes their assignments, so a handler sees the
kinds of the names assigned before its node.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from exportlint.analysis.kinds import Kind, Scope, combine, is_training_flag, parallel_assignment
from exportlint.analysis.models import TracedFunction
from exportlint.analysis.parameters import parameter_kinds
from exportlint.analysis.walk import walk
from exportlint.context import FileContext
from exportlint.rule import Behaviour, Rule
from exportlint.target import Target


class FileTimeout(Exception):
    """The file's time limit ran out (raised from a signal handler)."""


class RuleCrash(Exception):
    def __init__(self, code: str, error: Exception) -> None:
        super().__init__(f"{code}: {type(error).__name__}: {error}")
        self.code = code
        self.error = error


def _training_only(test: cst.BaseExpression) -> bool:
    while isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        test = test.left
    return is_training_flag(test)


class TracedWalker:
    """One traversal of the traced functions, running every rule's handlers."""

    def __init__(self, ctx: FileContext, rules: Sequence[Tuple[Rule, Behaviour]],
                 rules_for_mode: Optional[Callable[[bool], Sequence[Tuple[Rule, Behaviour]]]] = None) -> None:
        self.ctx = ctx
        self.dispatch = self._dispatch_table(rules)
        self._file_dispatch, self._file_target = self.dispatch, ctx.target
        # strict= at a model's export call sets the mode for that model's code
        self._rules_for_mode = rules_for_mode
        self._mode_dispatch: Dict[bool, Dict[str, List[Tuple[Rule, Behaviour, str]]]] = {}
        self._queue: deque = deque()
        self._seen: Set[int] = set()
        self._visited: List[TracedFunction] = []  # in visiting order
        self.crashes: Dict[str, "RuleCrash"] = {}  # rule code -> its first exception in this file
        self._call_sites: Dict[int, List[Kind]] = {}
        self._root_function: Optional[cst.FunctionDef] = None

    @staticmethod
    def _dispatch_table(rules: Sequence[Tuple[Rule, Behaviour]]) -> Dict[str, List[Tuple[Rule, Behaviour, str]]]:
        table: Dict[str, List[Tuple[Rule, Behaviour, str]]] = {}
        for rule, behaviour in rules:
            for node_type, method in rule.handlers.items():
                table.setdefault(node_type, []).append((rule, behaviour, method))
        return table

    def _use_mode(self, traced: TracedFunction) -> None:
        strict = self.ctx.flavours.strict_for(traced) if self._rules_for_mode is not None else None
        if strict is None or strict == self._file_target.strict:
            self.dispatch, self.ctx.target = self._file_dispatch, self._file_target
            return
        if strict not in self._mode_dispatch:
            self._mode_dispatch[strict] = self._dispatch_table(self._rules_for_mode(strict))
        self.dispatch = self._mode_dispatch[strict]
        self.ctx.target = Target(self._file_target.torch, strict)

    def run(self, roots: Sequence[TracedFunction]) -> None:
        for root in roots:
            self._enqueue(root)
        while self._queue:
            traced = self._queue.popleft()
            self._visited.append(traced)
            self.ctx.function = traced
            self.ctx.scope = Scope()
            self.ctx.scope.names.update(parameter_kinds(traced, self._call_sites.get(id(traced.node))))
            self.ctx.flavours.start_function(traced, self.ctx.scope)
            self._use_mode(traced)
            self._root_function = traced.node
            walk(traced.node, self)

    def check_sites(self) -> None:
        """Rules about the export calls themselves (their example inputs): ``check_site`` handlers."""
        self.ctx.function = None
        self.dispatch, self.ctx.target = self._file_dispatch, self._file_target
        for rule, behaviour, method in self.dispatch.get("site", ()):
            for site in self.ctx.sites:
                if rule.meta.code not in self.crashes:
                    self._run_handler(rule, behaviour, method, site)

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
                        self.ctx.flavours.bind(element.value, item.value, self.ctx.scope)
                        self._bind(element.value, self.ctx.kind(item.value))
                else:
                    self.ctx.flavours.bind(target.target, value, self.ctx.scope)
                    self._bind(target.target, self.ctx.kind(value))
        elif isinstance(original_node, cst.AnnAssign) and original_node.value is not None:
            self.ctx.flavours.bind(original_node.target, original_node.value, self.ctx.scope)
            self._bind(original_node.target, self.ctx.kind(original_node.value))
        elif isinstance(original_node, cst.AugAssign):
            merged = combine(self.ctx.kind(original_node.target), self.ctx.kind(original_node.value))
            self.ctx.flavours.forget(original_node.target, self.ctx.scope)
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
        scope.names.update(parameter_kinds(TracedFunction(node, None), None))
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
