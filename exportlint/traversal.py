"""One read-only traversal of the traced functions, running every rule's handlers.

Names are bound as the walk passes their assignments, so a handler sees the
kinds of the names assigned before its node.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from exportlint.analysis.facts import NO_FACTS, PASSED_ON, ExternalFacts
from exportlint.analysis.kinds import Kind, Scope, combine, names_in, parallel_assignment
from exportlint.analysis.models import TracedFunction
from exportlint.analysis.narrowing import names_not_known_in_body
from exportlint.analysis.parameters import keyword_names, parameter_kinds, parameter_names
from exportlint.analysis.under_export import false_under_export, true_under_export
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


def _ends_the_function(block: cst.BaseSuite) -> bool:
    """The block's last statement returns or raises."""
    body = block.body if isinstance(block, cst.IndentedBlock) else [block]
    last = body[-1] if body else None
    if isinstance(last, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        return any(isinstance(small, (cst.Return, cst.Raise)) for small in last.body)
    return False


# Blocks that may run or not: a name bound in one keeps the kinds it had before too.
_BRANCHING = (cst.If, cst.Else, cst.For, cst.While, cst.Try, cst.ExceptHandler)

# What the walk does at a node, by the node's type: LibCST's nodes are ABCs, and isinstance
# on an ABC goes through ABCMeta.__instancecheck__ (about a tenth of a traversal's time,
# called a dozen times per node). issubclass once per type gives the same answers.
_IS_BRANCHING, _IS_BLOCK, _IS_IF, _IS_FUNCTION, _IS_CALL, _IS_COMPREHENSION = 1, 2, 4, 8, 16, 32
_IS_ASSIGN, _IS_ANN_ASSIGN, _IS_AUG_ASSIGN, _IS_NAMED_EXPR, _IS_RETURN = 64, 128, 256, 512, 1024
_ROLE_CLASSES = (
    (_IS_BRANCHING, _BRANCHING), (_IS_BLOCK, (cst.IndentedBlock, cst.SimpleStatementSuite)), (_IS_IF, cst.If),
    (_IS_FUNCTION, cst.FunctionDef), (_IS_CALL, cst.Call),
    (_IS_COMPREHENSION, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)),
    (_IS_ASSIGN, cst.Assign), (_IS_ANN_ASSIGN, cst.AnnAssign), (_IS_AUG_ASSIGN, cst.AugAssign),
    (_IS_NAMED_EXPR, cst.NamedExpr), (_IS_RETURN, cst.Return),
)
_ROLES: Dict[type, int] = {}


def _role(node_type: type) -> int:
    found = _ROLES.get(node_type)
    if found is None:
        found = _ROLES[node_type] = sum(flag for flag, classes in _ROLE_CLASSES if issubclass(node_type, classes))
    return found


def function_key(traced: TracedFunction) -> str:
    """"helper" or "Class.method": a function's name within its file."""
    name = traced.node.name.value
    return f"{traced.owner.node.name.value}.{name}" if traced.owner is not None else name


# What the items of a value unpacked into several names are.
_ITEM_KIND = {Kind.SHAPE: Kind.SIZE, Kind.TENSOR: Kind.TENSOR, Kind.DATA: Kind.DATA, Kind.TENSORS: Kind.TENSOR,
              Kind.CONST: Kind.CONST}  # `sh, sw = conv.stride`: the items of a constant are constants


# (rule code, the rule's bound visit_X / check_site, its behaviour for the mode)
_Handler = Tuple[str, Callable[..., None], Behaviour]


class TracedWalker:
    """One traversal of the traced functions, running every rule's handlers.

    Besides running rules it records what crosses into other files: calls of
    imported helpers and of submodules defined elsewhere (with the kinds of
    their arguments), and the kinds traced functions return.
    """

    def __init__(
        self, ctx: FileContext, rules: Sequence[Tuple[Rule, Behaviour]], facts: ExternalFacts = NO_FACTS,
        rules_for_mode: Optional[Callable[[bool], Sequence[Tuple[Rule, Behaviour]]]] = None,
    ) -> None:
        self.ctx = ctx
        self.facts = facts
        self.dispatch = self._dispatch_table(rules)
        self._file_dispatch, self._file_target = self.dispatch, ctx.target
        # strict= at a model's export call sets the mode for that model's code
        self._rules_for_mode = rules_for_mode
        self._mode_dispatch: Dict[bool, Dict[str, List[_Handler]]] = {}
        self._queue: deque = deque()
        self._seen: Set[int] = set()
        self._visited: List[TracedFunction] = []  # in visiting order
        self.crashes: Dict[str, "RuleCrash"] = {}  # rule code -> its first exception in this file
        # callee def id -> {parameter: (kind, origin)} from its first traced call site in this file
        self._call_sites: Dict[int, Dict[str, Tuple[Kind, object]]] = {}
        self._root_function: Optional[cst.FunctionDef] = None
        self._parents: List[cst.CSTNode] = []
        self._dead_blocks: Set[int] = set()  # blocks whose remaining statements export never runs
        self._snapshots: List[Tuple[cst.CSTNode, Dict[str, Kind], Dict[str, Kind]]] = []  # block, before, hidden
        self._passed_on: Set[str] = set()  # parameters of the current function, not rebound
        self._key = ""
        self.calls: List[Tuple[str, str, List[Tuple[str, str, object]]]] = []
        self.defaults: Dict[str, Dict[str, Kind]] = {}
        self.returns: Dict[str, List[Tuple[Kind, object]]] = {}
        # function key -> (statement, function) holding it: where its origins are positioned first
        self.holders: Dict[str, tuple] = {}
        self.returns_read: Set[str] = set()  # callees in other files whose return kind was asked for
        ctx.classifier.call_kind = self._call_kind
        self._return_memo: Dict[Tuple[int, tuple], Kind] = {}

    @staticmethod
    def _dispatch_table(rules: Sequence[Tuple[Rule, Behaviour]]) -> Dict[str, List[_Handler]]:
        """Node type name -> (rule code, bound handler, behaviour), bound once per file: the
        walk calls handlers millions of times on a large project (getattr each time was a cost)."""
        table: Dict[str, List[_Handler]] = {}
        for rule, behaviour in rules:
            for node_type, method in rule.handlers.items():
                table.setdefault(node_type, []).append((rule.meta.code, getattr(rule, method), behaviour))
        return table

    def _use_mode(self, traced: TracedFunction) -> None:
        self._use_strict(self.ctx.flavours.strict_for(traced))

    def _use_strict(self, strict: Optional[bool]) -> None:
        """Run the rules of the given mode (None: the file's)."""
        if self._rules_for_mode is None:
            strict = None
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
            self._walk_function(self._queue.popleft())

    def check_sites(self) -> None:
        """Rules about the export calls themselves (their example inputs): ``check_site`` handlers."""
        self.ctx.function = None
        for site in self.ctx.sites:
            self._use_strict(site.strict)  # strict= at the call is the mode that call exports in
            self._run_handlers(self.dispatch.get("site", ()), site)
        self._use_strict(None)

    def _walk_function(self, traced: TracedFunction) -> None:
        self._visited.append(traced)
        key = function_key(traced)
        incoming = {name: (e.kind, e.origin) for name, e in self.facts.entry_kinds(key).items()}
        incoming.update(self._call_sites.get(id(traced.node), {}))  # this file's own caller first
        kinds = parameter_kinds(traced, {name: kind for name, (kind, _) in incoming.items()})
        self.ctx.function = traced
        self.ctx.scope = Scope()
        self.ctx.scope.names.update(kinds)
        for name, (kind, origin) in incoming.items():
            if origin and kinds.get(name) is kind:
                self.ctx.scope.origins[name] = origin
        self.defaults[key] = kinds
        self.ctx.flavours.start_function(traced, self.ctx.scope)
        self._use_mode(traced)
        self._key = key
        self.holders[key] = self.ctx.holder()
        self._passed_on = set(kinds)
        self._root_function = traced.node
        self._parents = []
        self._snapshots = []
        self._dead_blocks = set()
        walk(traced.node, self)

    def _enqueue(self, traced: TracedFunction) -> None:
        if id(traced.node) not in self._seen:
            self._seen.add(id(traced.node))
            self._queue.append(traced)

    # Dispatch ---------------------------------------------------------------
    def on_visit(self, node: cst.CSTNode) -> bool:
        role = _ROLES.get(type(node))
        if role is None:
            role = _role(type(node))
        parents = self._parents
        if parents:
            parent = parents[-1]
            if role & _IS_BLOCK and _role(type(parent)) & _IS_BRANCHING:
                self._snapshots.append((node, dict(self.ctx.scope.names), self._narrow(parent, node)))
            if id(parent) in self._dead_blocks:
                parents.append(node)
                return False  # after `if not self.training: return ...`: export never gets here
        parents.append(node)
        if type(node) is cst.Raise:
            # What a raise evaluates runs only when raising, and an export that raises fails with the
            # code's own error whatever the message holds (`raise ValueError(f"{int(n)} patches")`).
            return False
        handlers = self.dispatch.get(type(node).__name__)
        if handlers:
            self._run_handlers(handlers, node)
        if role & _IS_IF:
            if false_under_export(node.test, self.ctx):
                # Never true while export traces: the body is not traced, the rest is.
                walk(node.test, self)
                if node.orelse is not None:
                    walk(node.orelse, self)
                return False
            if true_under_export(node.test, self.ctx):
                walk(node.test, self)
                walk(node.body, self)
                if _ends_the_function(node.body) and len(parents) >= 2:
                    self._dead_blocks.add(id(parents[-2]))  # the rest of the enclosing block
                return False
        if role & _IS_FUNCTION and node is not self._root_function:
            self._enter_nested_function(node)
        elif role & _IS_CALL:
            self._follow_call(node)
        elif role & _IS_COMPREHENSION:
            self._bind_comprehension(node.for_in)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self._parents.pop()
        if self._snapshots and self._snapshots[-1][0] is original_node:
            _, before, narrowed = self._snapshots.pop()
            self.ctx.scope.names.update(narrowed)  # what the test hid, unless the block rebound it
            self._join_branch(before)
        role = _ROLES.get(type(original_node))
        if role is None:
            role = _role(type(original_node))
        if not role & (_IS_FUNCTION | _IS_ASSIGN | _IS_ANN_ASSIGN | _IS_AUG_ASSIGN | _IS_NAMED_EXPR | _IS_RETURN):
            return
        if role & _IS_FUNCTION and original_node is not self._root_function:
            self.ctx.scope = self.ctx.scope.parent or Scope()
        elif role & _IS_ASSIGN:
            value = original_node.value
            for target in original_node.targets:
                if parallel_assignment(target.target, value):  # h, w = x.shape[1], x.shape[2]
                    for element, item in zip(target.target.elements, value.elements):
                        self.ctx.flavours.bind(element.value, item.value, self.ctx.scope)
                        self._bind(element.value, self.ctx.kind(item.value), item.value)
                else:
                    self.ctx.flavours.bind(target.target, value, self.ctx.scope)
                    self._bind(target.target, self.ctx.kind(value), value)
        elif role & _IS_ANN_ASSIGN and original_node.value is not None:
            self.ctx.flavours.bind(original_node.target, original_node.value, self.ctx.scope)
            self._bind(original_node.target, self.ctx.kind(original_node.value), original_node.value)
        elif role & _IS_AUG_ASSIGN:
            merged = combine(self.ctx.kind(original_node.target), self.ctx.kind(original_node.value))
            self.ctx.flavours.forget(original_node.target, self.ctx.scope)
            self._bind(original_node.target, merged, original_node.value)
        elif role & _IS_NAMED_EXPR:
            self._bind(original_node.target, self.ctx.kind(original_node.value), original_node.value)
        elif role & _IS_RETURN and self.ctx.scope.parent is None:
            if original_node.value is not None:
                value = original_node.value
                self.returns.setdefault(self._key, []).append((self.ctx.kind(value), self._origin_of(value)))

    def _narrow(self, branch: cst.CSTNode, block: cst.CSTNode) -> Dict[str, Kind]:
        """In the body of `if isinstance(x, C):` (or `not isinstance`), x's kind is unknown
        (analysis/narrowing.py); returns the kinds it hid, restored when the block ends."""
        if type(branch) is not cst.If or branch.body is not block:
            return {}
        names = self.ctx.scope.names
        hidden = {name: names[name] for name in names_not_known_in_body(branch.test, self.ctx) if name in names}
        for name in hidden:
            names[name] = Kind.UNKNOWN
        return hidden

    def _join_branch(self, before: Dict[str, Kind]) -> None:
        """After a block that may not run, a name it rebound has the kinds of both."""
        names = self.ctx.scope.names
        for name, kind in list(names.items()):
            previous = before.get(name)
            if previous is not None and previous is not kind:
                names[name] = Kind.UNKNOWN
                self.ctx.scope.origins.pop(name, None)

    def _run_handlers(self, handlers: Sequence[_Handler], node) -> None:
        """Each handler in turn, but those of rules that crashed earlier in the file."""
        ctx, crashes = self.ctx, self.crashes
        for code, handler, behaviour in handlers:
            if code in crashes:
                continue
            try:
                handler(node, ctx, behaviour)
            except FileTimeout:
                raise
            except RecursionError as exc:  # the file's depth, not a bug of the rule
                raise RuleCrash(code, exc) from exc
            except Exception as exc:  # one broken rule must not hide the others: it sits out the file
                crashes[code] = RuleCrash(code, exc)

    # Names and scopes -----------------------------------------------------
    def _enter_nested_function(self, node: cst.FunctionDef) -> None:
        scope = Scope(self.ctx.scope)
        scope.names.update(parameter_kinds(TracedFunction(node, None)))
        self.ctx.scope = scope

    def _bind(self, target: cst.BaseExpression, kind: Kind, value: Optional[cst.BaseExpression] = None) -> None:
        if isinstance(target, cst.Name):
            scope = self.ctx.scope
            scope.names[target.value] = kind
            for _, _, hidden in self._snapshots:  # rebound under the test: the new kind stands
                hidden.pop(target.value, None)
            self._passed_on.discard(target.value)
            origin = self._origin_of(value) if kind is Kind.DATA and value is not None else None
            if origin is not None:
                scope.origins[target.value] = origin
            else:
                scope.origins.pop(target.value, None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            # `b, n = x.shape` binds sizes; `q, k = t.chunk(2)` binds tensors.
            each = _ITEM_KIND.get(kind, Kind.UNKNOWN)
            for element in target.elements:
                self._bind(element.value, each, value)

    def _origin_of(self, value: cst.BaseExpression) -> object:
        """Where a data-dependent value was read out of a tensor: a name's own
        origin when it is built from one, else the expression itself."""
        if self.ctx.kind(value) is not Kind.DATA:
            return None
        for name in names_in(value):
            origin = self.ctx.scope.lookup_origin(name)
            if origin is not None:
                return origin
        return value

    def _bind_comprehension(self, comp: Optional[cst.CompFor]) -> None:
        while comp is not None:
            self._bind_iteration(comp.target, comp.iter)
            comp = comp.inner_for_in

    def _bind_iteration(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        """`for row in t` binds tensors, `for v in t.tolist()` values read from data, and
        `for h, w in zip(t, u)` (tensors all) one tensor each."""
        source = self.ctx.kind(iterable)
        if source is Kind.TENSORS or (source not in (Kind.TENSOR, Kind.DATA) and self._zips_tensors(target, iterable)):
            source = Kind.TENSOR  # each item of `x.chunk(n)`, or of zip(t, u), is a tensor
        self._bind(target, source if source in (Kind.TENSOR, Kind.DATA) else Kind.UNKNOWN)

    def _zips_tensors(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> bool:
        if not (isinstance(iterable, cst.Call) and self.ctx.builtin(iterable.func) == "zip"):
            return False
        args = iterable.args
        return (
            isinstance(target, (cst.Tuple, cst.List)) and len(target.elements) == len(args) > 0
            and all(not a.star and a.keyword is None and self.ctx.kind(a.value) is Kind.TENSOR for a in args)
        )

    def _bind_loop(self, node: cst.For) -> None:
        self._bind_iteration(node.target, node.iter)
        target, iterable = node.target, node.iter
        if (  # for i, layer in enumerate(self.layers)
            isinstance(iterable, cst.Call) and self.ctx.builtin(iterable.func) == "enumerate" and iterable.args
            and isinstance(target, cst.Tuple) and len(target.elements) == 2
        ):
            target, iterable = target.elements[1].value, iterable.args[0].value
        if isinstance(target, cst.Name):
            made = self.ctx.model_map.container_item(iterable, self.ctx.function)
            if made is not None:  # for layer in self.layers: layer is a module of a known class
                self.ctx.scope.modules[target.value] = made

    def before_loop_body(self, node: cst.For) -> None:
        self._bind_loop(node)

    # Calls ------------------------------------------------------------------
    def _follow_call(self, call: cst.Call) -> None:
        if self.ctx.function is None:
            return
        model_map = self.ctx.model_map
        callee = model_map.callee(call, self.ctx.function)
        if callee is None:
            # self.block(x, h, w) or `for layer in self.layers: layer(x)`: the submodule's
            # forward is a root of its own, walked after this one; it learns what its parent passes.
            callee = model_map.submodule_forward(call, self.ctx.function, self.ctx.scope.modules)
            if callee is not None:
                self._call_sites.setdefault(id(callee.node), self._argument_kinds(call, callee))
                return
            foreign = model_map.foreign_callee(call, self.ctx.function, self.ctx.scope)
            if foreign is not None:
                self.calls.append((self._key, foreign, self._argument_facts(call)))
            return
        self._call_sites.setdefault(id(callee.node), self._argument_kinds(call, callee))
        self._enqueue(callee)

    def _argument_kinds(self, call: cst.Call, callee: TracedFunction) -> Dict[str, Tuple[Kind, object]]:
        """What a call passes, by the callee's parameter names."""
        names = parameter_names(callee)
        known = set(keyword_names(callee))
        passed: Dict[str, Tuple[Kind, object]] = {}
        position = 0
        for arg in call.args:
            if arg.star:
                if arg.star == "*":
                    break  # after *args the positions are unknown
                continue
            kind = self.ctx.kind(arg.value)
            entry = (kind, self._origin_of(arg.value) if kind is Kind.DATA else None)
            if arg.keyword is not None:
                if arg.keyword.value in known:
                    passed[arg.keyword.value] = entry
            elif position < len(names):
                passed[names[position]] = entry
                position += 1
        return passed

    def _argument_facts(self, call: cst.Call) -> List[Tuple[str, str, object]]:
        """Arguments of a call into another file: a kind, or the caller's own
        parameter passed on unchanged (its kind is the caller's callers' business)."""
        facts: List[Tuple[str, str, object]] = []
        position = 0
        for arg in call.args:
            if arg.star:
                if arg.star == "*":
                    break
                continue
            slot = arg.keyword.value if arg.keyword is not None else str(position)
            if arg.keyword is None:
                position += 1
            value = arg.value
            if isinstance(value, cst.Name) and value.value in self._passed_on and self.ctx.scope.parent is None:
                facts.append((slot, PASSED_ON + value.value, None))
                continue
            kind = self.ctx.kind(value)
            facts.append((slot, kind.value, self._origin_of(value) if kind is Kind.DATA else None))
        return facts

    def _call_kind(self, call: cst.Call, scope: Scope) -> Optional[Kind]:
        """What a call of a helper returns: an in-file function or method walked
        with the call's arguments, or what the project says of an imported one."""
        function = self.ctx.function
        if function is None:
            return None
        model_map = self.ctx.model_map
        callee = model_map.callee(call, function)
        if callee is not None:
            return self._returned_kind(callee, call)
        qualified = model_map.imports.qualify(call.func) if isinstance(call.func, (cst.Name, cst.Attribute)) else None
        if qualified is not None and not qualified.startswith("torch."):
            self.returns_read.add(qualified)
            returned = self.facts.returned(qualified)
            if returned is not None:
                return returned.kind
        return None

    def _returned_kind(self, callee: TracedFunction, call: cst.Call) -> Optional[Kind]:
        passed = {name: kind for name, (kind, _) in self._argument_kinds(call, callee).items()}
        memo_key = (id(callee.node), tuple(sorted((n, k.value) for n, k in passed.items())))
        if memo_key in self._return_memo:
            return self._return_memo[memo_key]
        self._return_memo[memo_key] = Kind.UNKNOWN  # recursion: unknown
        probe = _ReturnProbe(self.ctx, callee, passed, self._return_memo)
        kind = probe.run()
        self._return_memo[memo_key] = kind
        return kind


class _ReturnProbe(TracedWalker):
    """Walks one helper, with no rules, for the kind it returns."""

    def __init__(self, ctx: FileContext, callee: TracedFunction, passed: Dict[str, Kind], memo: dict) -> None:
        self._outer = (ctx.function, ctx.scope, ctx.classifier.call_kind)
        super().__init__(ctx, ())
        self._callee = callee
        self._passed = passed
        self._return_memo = memo  # shared with the walker: recursive helpers end as unknown

    def run(self) -> Kind:  # type: ignore[override]
        traced = self._callee
        try:
            self.ctx.function = traced
            self.ctx.scope = Scope()
            self.ctx.scope.names.update(parameter_kinds(traced, self._passed))
            self._key = function_key(traced)
            self._passed_on = set()
            self._root_function = traced.node
            walk(traced.node, self)
        finally:
            self.ctx.function, self.ctx.scope, self.ctx.classifier.call_kind = self._outer
        kinds = {kind for kind, _ in self.returns.get(self._key, [])}
        return kinds.pop() if len(kinds) == 1 else Kind.UNKNOWN

    def _follow_call(self, call: cst.Call) -> None:
        pass  # a probe records nothing and enqueues nothing
