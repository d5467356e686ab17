"""EXP113: forward returns an instance of a class export cannot flatten.

``return hidden, Cache(keys, values)`` where ``Cache`` is a plain class (or a
dataclass) of the same file: export flattens outputs with pytree, which knows
tuples, lists, dicts, NamedTuples and registered classes only. Non-strict
export fails with "Found <class 'Cache'> in output, which is not a known
type", strict with "Encountered unrecognized type UserDefinedObjectVariable".
Register the class with pytree (``torch.utils._pytree.register_pytree_node``,
or ``torch.export.register_dataclass`` for a dataclass), or return its tensors.

Only classes defined in the file are judged, and only in the forward of a
module the file does not itself use as a submodule (a layer may hand any
object to its parent). A registration in another file is not seen.
"""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Set

import libcst as cst

from exportlint.analysis.walk import visit
from exportlint.analysis.imports import dotted_name
from exportlint.fix import UNSAFE, Autofix, Form
from exportlint.fixes.rewrite import InsertBefore, Rewrite, module_alias
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.models import top_level_statements
from exportlint.analysis.scoped import ScopedFacts

_REGISTER = frozenset(
    {
        "register_pytree_node", "_register_pytree_node", "register_pytree_node_class", "register_dataclass",
        "register_constant", "register_pytree_with_keys", "register_node", "register_static",
        "register_dataclass_as_pytree_node",
    }
)


def _tail(expr: cst.BaseExpression) -> str:
    if isinstance(expr, cst.Call):
        expr = expr.func
    name = dotted_name(expr) or ""
    return name.rsplit(".", 1)[-1]


class _Calls(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def visit_Call(self, node: cst.Call) -> Optional[bool]:
        if isinstance(node.func, cst.Name) and node.func.value == self.name:
            self.found = True
        return not self.found


class UnregisteredOutputClass(Rule):
    meta = RuleMeta(
        code="EXP113",
        name="unregistered-output-class",
        summary=(
            "forward returns an instance of a plain class or dataclass of the same file that is not registered with "
            "pytree"
        ),
        why=(
            "The exported program's outputs are flattened with pytree; an object of an unregistered class "
            "cannot be flattened, so export refuses the output."
        ),
        instead=(
            "register the class with torch.utils._pytree.register_pytree_node (torch.export.register_dataclass for a "
            "dataclass), or return a tuple/dict/NamedTuple of its tensors"
        ),
        cases=("unregistered_output_class",),
        fix=Autofix(
            forms=(
                Form("a class whose __init__ only stores each argument as the attribute of the same name -> "
                     "torch.utils._pytree.register_pytree_node(Cls, flatten, unflatten) after the class", UNSAFE,
                     "the registration holds for the whole process: code that flattens these objects "
                     "(tree_map, torch.compile) now sees inside them"),
            ),
            otherwise="registering the class needs flatten and unflatten functions that know its fields",
        ),
    )

    def __init__(self) -> None:
        self._registered: Optional[Set[str]] = None
        self._verdicts: Dict[str, bool] = {}
        self._top: Dict[int, bool] = {}
        self._bound: ScopedFacts[str] = ScopedFacts()

    # What the file says about its classes ----------------------------------
    def _registrations(self, model_map) -> Set[str]:
        if self._registered is None:
            found: Set[str] = set()
            for stmt in top_level_statements(model_map.module.body):
                if isinstance(stmt, cst.SimpleStatementLine):
                    for small in stmt.body:
                        value = getattr(small, "value", None)
                        if isinstance(value, cst.Call) and _tail(value) in _REGISTER and value.args:
                            first = value.args[0].value
                            if isinstance(first, cst.Name):
                                found.add(first.value)
                elif isinstance(stmt, cst.ClassDef):
                    if any(_tail(d.decorator) in _REGISTER for d in stmt.decorators):
                        found.add(stmt.name.value)
            self._registered = found
        return self._registered

    def _unflattenable(self, name: str, model_map, seen: Optional[Set[str]] = None) -> bool:
        """A plain class of the file: no base from elsewhere, no metaclass, not a module."""
        if name in self._verdicts:
            return self._verdicts[name]
        seen = seen or set()
        seen.add(name)
        info = model_map.classes.get(name)
        verdict = info is not None and not info.is_module and name not in self._registrations(model_map)
        if verdict:
            for base in info.node.bases:
                if base.keyword is not None:
                    verdict = False
                    break
                base_name = dotted_name(base.value)
                if base_name == "object":
                    continue
                if base_name is None or base_name in seen or not self._unflattenable(base_name, model_map, seen):
                    verdict = False
                    break
        self._verdicts[name] = verdict
        return verdict

    def _is_top_level(self, ctx) -> bool:
        """False when another module class of the file instantiates this one."""
        owner = ctx.function.owner
        key = id(owner.node)
        if key not in self._top:
            name = owner.node.name.value
            used = False
            for other in ctx.model_map.classes.values():
                if other is owner or not other.is_module:
                    continue
                finder = _Calls(name)
                visit(other.node, finder)
                if finder.found:
                    used = True
                    break
            self._top[key] = not used
        return self._top[key]

    # Traced code --------------------------------------------------------------
    def _names(self, ctx) -> Dict[str, str]:
        return self._bound.here(ctx.scope)

    def _instance_of(self, expr: cst.BaseExpression, ctx) -> Optional[str]:
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name):
            if ctx.scope.lookup(expr.func.value) is None and expr.func.value in ctx.model_map.classes:
                return expr.func.value
        if isinstance(expr, cst.Name):
            return self._names(ctx).get(expr.value)
        return None

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        if ctx.function is None or not ctx.function.is_forward:
            return
        names = self._names(ctx)
        made = self._instance_of(node.value, ctx) if isinstance(node.value, cst.Call) else None
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if made is not None:
                    names[target.target.value] = made
                else:
                    names.pop(target.target.value, None)

    def _outputs(self, expr: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
        if isinstance(expr, (cst.Tuple, cst.List)):
            for element in expr.elements:
                yield from self._outputs(element.value)
        elif isinstance(expr, cst.Dict):
            for element in expr.elements:
                if isinstance(element, cst.DictElement):
                    yield from self._outputs(element.value)
        else:
            yield expr

    def visit_Return(self, node: cst.Return, ctx, behaviour: Behaviour) -> None:
        if node.value is None or ctx.function is None or not ctx.function.is_forward:
            return
        if ctx.scope.parent is not None:
            return  # a def nested in forward returns to its caller, not out of the program
        for output in self._outputs(node.value):
            name = self._instance_of(output, ctx)
            if name is None or not self._unflattenable(name, ctx.model_map):
                continue
            if not self._is_top_level(ctx):
                return
            fix = _registration(name, ctx)
            self.report(ctx, output, f"forward returns a `{name}`, a class pytree does not know", behaviour, fix)


def _stored_arguments(init: cst.FunctionDef) -> Optional[List[str]]:
    """The parameters of ``__init__(self, a, b)`` when its body is only ``self.a = a; self.b = b``."""
    params = init.params
    if params.star_arg is not cst.MaybeSentinel.DEFAULT or params.kwonly_params or params.star_kwarg or \
            params.posonly_params or any(p.default is not None for p in params.params):
        return None
    names = [p.name.value for p in params.params[1:]]
    stored = set()
    for statement in init.body.body if isinstance(init.body, cst.IndentedBlock) else ():
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        for small in statement.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
                continue  # the docstring
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
                return None
            target, value = small.targets[0].target, small.value
            if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)
                    and target.value.value == params.params[0].name.value and isinstance(value, cst.Name)
                    and value.value == target.attr.value):
                return None
            stored.add(value.value)
    return names if names and stored == set(names) else None


def _registration(name: str, ctx) -> Optional[Rewrite]:
    """Register a plain record class of the file with pytree, right after it."""
    info = ctx.model_map.classes.get(name)
    torch = module_alias(ctx, "torch")
    body = list(ctx.model_map.module.body)
    if info is None or torch is None or info.node.bases or info.node not in body:
        return None
    index = body.index(info.node)
    inits = [s for s in info.node.body.body if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"]
    fields = _stored_arguments(inits[0]) if len(inits) == 1 else None
    if fields is None or index + 1 >= len(body):
        return None
    values = ", ".join(f"obj.{field}" for field in fields)
    lines = (
        f"{torch}.utils._pytree.register_pytree_node(",
        f"    {name},",
        f"    lambda obj: ([{values}], None),",
        f"    lambda children, _: {name}(*children),",
        ")",
        "",
        "",
    )
    return Rewrite(UNSAFE, f"register {name} with pytree", (InsertBefore(body[index + 1], lines),))
