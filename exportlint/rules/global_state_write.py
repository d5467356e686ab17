"""EXP216: forward writes module-level (global) state.

``global CALLS; CALLS += 1``, ``_CACHE[key] = t`` or ``SEEN.append(x)`` on a
module-level name in traced code: export runs the write once, while tracing,
and the program does not contain it, so calling the exported model changes
nothing. Non-strict export also leaves fake tensors in the global (a cache
filled during export breaks later eager calls).
"""

from __future__ import annotations

from typing import Dict, Optional, Set

import libcst as cst

from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.sizes import code
from exportlint.analysis.models import top_level_statements
from exportlint.analysis.scoped import ScopedFacts

_MUTATORS = frozenset("append extend insert update setdefault pop popitem clear add remove discard".split())


class GlobalStateWrite(Rule):
    meta = RuleMeta(
        code="EXP216",
        name="global-state-write",
        summary=(
            "assignment to a `global` name, or a write into a module-level list/dict/set, in code reachable from "
            "forward"
        ),
        why="Module globals are Python state outside the graph: the exported program cannot read or write them.",
        instead=(
            "keep state in a buffer registered in __init__ and update it in place, or return it; build caches before "
            "export"
        ),
        cases=("global_state_in_forward",),
        specializes=("runs the write once while tracing and leaves it out of the program (non-strict: a tensor "
                     "written there is a fake one that breaks later eager calls)"),
        fix=NoAutofix(
            "the state must move into a registered buffer or a return value: a design change"
        ),
    )

    def __init__(self) -> None:
        self._module_names: Optional[Set[str]] = None
        self._declared: ScopedFacts[bool] = ScopedFacts()

    def _globals(self, ctx) -> Set[str]:
        if self._module_names is None:
            names: Set[str] = set()
            for stmt in top_level_statements(ctx.model_map.module.body):
                if isinstance(stmt, cst.SimpleStatementLine):
                    for small in stmt.body:
                        targets = []
                        if isinstance(small, cst.Assign):
                            targets = [t.target for t in small.targets]
                        elif isinstance(small, cst.AnnAssign):
                            targets = [small.target]
                        names.update(t.value for t in targets if isinstance(t, cst.Name))
            self._module_names = names
        return self._module_names

    def _declared_here(self, ctx) -> Dict[str, bool]:
        return self._declared.here(ctx.scope)  # names a `global` statement of this function declares

    def _module_container(self, node: cst.BaseExpression, ctx) -> Optional[str]:
        if isinstance(node, cst.Name) and ctx.scope.lookup(node.value) is None and node.value in self._globals(ctx):
            return node.value
        return None

    def visit_Global(self, node: cst.Global, ctx, behaviour: Behaviour) -> None:
        self._declared_here(ctx).update((item.name.value, True) for item in node.names)

    def _check_target(self, target: cst.BaseExpression, ctx, behaviour: Behaviour) -> None:
        if isinstance(target, cst.Name) and target.value in self._declared_here(ctx):
            self.report(ctx, target, f"write to global `{target.value}` in traced code", behaviour)
        elif isinstance(target, cst.Subscript):
            name = self._module_container(target.value, ctx)
            if name is not None:
                self.report(ctx, target, f"write into module-level `{name}` in traced code", behaviour)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._check_target(element.value, ctx, behaviour)

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        for target in node.targets:
            self._check_target(target.target, ctx, behaviour)

    def visit_AugAssign(self, node: cst.AugAssign, ctx, behaviour: Behaviour) -> None:
        self._check_target(node.target, ctx, behaviour)

    def visit_AnnAssign(self, node: cst.AnnAssign, ctx, behaviour: Behaviour) -> None:
        if node.value is not None:
            self._check_target(node.target, ctx, behaviour)

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _MUTATORS:
            name = self._module_container(func.value, ctx)
            if name is not None:
                self.report(ctx, node, f"`{code(func)}()` writes module-level `{name}` in traced code", behaviour)
