"""Which expressions of traced code are plain Python lists, tuples or dicts.

Indexing one needs a Python int or key at trace time; the rules about
containers indexed with data or with sizes ask this. A container is a
display (``[..]``, ``{..}``, a comprehension), a local name bound to one, or
``self.attr`` when ``__init__`` of the class (or an in-file base) binds one.
Module containers (ModuleList, Sequential) are Kind.MODULE, not containers.
"""

from __future__ import annotations

from typing import Dict, Optional, Set

import libcst as cst

from exportlint.analysis.kinds import Scope
from exportlint.analysis.models import ClassInfo, ModelMap

_DISPLAYS = (cst.List, cst.Tuple, cst.Dict, cst.ListComp, cst.DictComp)


def is_display(node: cst.BaseExpression) -> bool:
    return isinstance(node, _DISPLAYS)


def _init_containers(info: ClassInfo) -> Set[str]:
    """self attributes __init__ binds to a list, tuple or dict display (top-level statements only)."""
    init = info.methods.get("__init__")
    found: Set[str] = set()
    if init is None or not isinstance(init.body, cst.IndentedBlock):
        return found
    for stmt in init.body.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and is_display(small.value):
                targets = [t.target for t in small.targets]
            elif isinstance(small, cst.AnnAssign) and small.value is not None and is_display(small.value):
                targets = [small.target]
            else:
                continue
            for target in targets:
                if (
                    isinstance(target, cst.Attribute)
                    and isinstance(target.value, cst.Name)
                    and target.value.value == "self"
                ):
                    found.add(target.attr.value)
    return found


class PythonContainers:
    """Python containers among the names of traced functions (fed in source order)."""

    def __init__(self, model_map: ModelMap) -> None:
        self._model_map = model_map
        self._names: Dict[Scope, Set[str]] = {}
        self._attributes: Dict[int, Set[str]] = {}

    def bind(self, target: cst.BaseExpression, value: cst.BaseExpression, scope: Scope) -> None:
        if not isinstance(target, cst.Name):
            return
        names = self._names.setdefault(scope, set())
        if is_display(value) or self.is_container(value, scope, None):
            names.add(target.value)
        else:
            names.discard(target.value)

    def is_container(self, expr: cst.BaseExpression, scope: Scope, owner: Optional[ClassInfo]) -> bool:
        if is_display(expr):
            return True
        if isinstance(expr, cst.Name):
            current: Optional[Scope] = scope
            while current is not None:
                if expr.value in self._names.get(current, ()):
                    return True
                if expr.value in current.names:
                    return False
                current = current.parent
            return False
        if (
            owner is not None
            and isinstance(expr, cst.Attribute)
            and isinstance(expr.value, cst.Name)
            and expr.value.value == "self"
        ):
            return expr.attr.value in self._owner_attributes(owner)
        return False

    def _owner_attributes(self, owner: ClassInfo) -> Set[str]:
        key = id(owner.node)
        if key not in self._attributes:
            found: Set[str] = set()
            for info in self._model_map._lineage(owner):
                found |= _init_containers(info)
            self._attributes[key] = found
        return self._attributes[key]


class TracksContainers:
    """For rules about indexing Python containers: which names of traced code hold one
    (fed each assignment of the walk, in source order)."""

    def __init__(self) -> None:
        self._containers: Optional[PythonContainers] = None

    def _known(self, ctx) -> PythonContainers:
        if self._containers is None:
            self._containers = PythonContainers(ctx.model_map)
        return self._containers

    def visit_Assign(self, node: cst.Assign, ctx, behaviour) -> None:
        for target in node.targets:
            self._known(ctx).bind(target.target, node.value, ctx.scope)

    def _is_container(self, node: cst.BaseExpression, ctx) -> bool:
        owner = ctx.function.owner if ctx.function is not None else None
        return self._known(ctx).is_container(node, ctx.scope, owner)
