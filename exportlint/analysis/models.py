"""Which functions of a file export traces, found from the file alone.

Roots are the ``forward`` methods of ``nn.Module`` subclasses; from there the
methods called on ``self`` and the module-level functions called by name are
traced too. Only top-level statements and class bodies are read here: this
pass is cheap. The engine then walks forward methods and follows ``callee``
into the functions they call, so each traced body is traversed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence, Set

import libcst as cst

from exportlint.analysis.imports import ImportTable, dotted_name
from exportlint.analysis.kinds import Kind
from exportlint.analysis.module_state import PARAMETER_CALLS, PARAMETERISED_LAYERS

MODULE_BASES = frozenset(
    {
        "torch.nn.Module",
        "torch.nn.modules.module.Module",
        "torch.nn.modules.Module",
    }
)

_TENSOR_FACTORIES = frozenset(
    "tensor as_tensor zeros ones empty full randn rand randint arange linspace eye "
    "zeros_like ones_like empty_like full_like randn_like rand_like from_numpy".split()
)
_NN_CONTAINER_CALLS = frozenset({"torch.nn.Parameter", "torch.nn.Buffer", "torch.nn.parameter.Parameter"})


@dataclass
class ClassInfo:
    node: cst.ClassDef
    base_names: List[str]  # in-file base class names
    is_module: bool = False
    methods: Dict[str, cst.FunctionDef] = field(default_factory=dict)
    attributes: Dict[str, Kind] = field(default_factory=dict)
    submodules: Dict[str, str] = field(default_factory=dict)  # self.attr = InFileModule(...) in __init__


@dataclass(frozen=True)
class TracedFunction:
    node: cst.FunctionDef
    owner: Optional[ClassInfo]

    @property
    def is_forward(self) -> bool:
        return self.owner is not None and self.node.name.value == "forward"


def top_level_statements(body: Sequence[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """Statements at module level, looking inside if/try blocks (import guards)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (cst.If, cst.Try)):
            yield from top_level_statements(stmt.body.body)
            orelse = getattr(stmt, "orelse", None)
            while isinstance(orelse, cst.If):
                yield from top_level_statements(orelse.body.body)
                orelse = orelse.orelse
            if isinstance(orelse, cst.Else):
                yield from top_level_statements(orelse.body.body)


class ModelMap:
    """The classes, functions and traced functions of one module."""

    def __init__(self, module: cst.Module, extra_bases: Sequence[str] = ()) -> None:
        self.module = module  # for rules that read module-level statements (pytree registrations)
        self.imports = ImportTable()
        self.classes: Dict[str, ClassInfo] = {}
        self.functions: Dict[str, cst.FunctionDef] = {}
        self._module_bases = MODULE_BASES | frozenset(extra_bases)
        # id(def) -> the statement of module.body holding it: positions are
        # computed for that statement alone when it holds a finding.
        self._holders: Dict[int, cst.CSTNode] = {}
        for outer in module.body:
            self._read_statement(outer)
        self._close_module_subclasses()
        for info in self.classes.values():
            if info.is_module and "__init__" in info.methods:
                self._read_init(info, info.methods["__init__"])

    def _read_statement(self, outer: cst.CSTNode) -> None:
        for stmt in top_level_statements([outer]):
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Import):
                        self.imports.add_import(small)
                    elif isinstance(small, cst.ImportFrom):
                        self.imports.add_import_from(small)
            elif isinstance(stmt, cst.FunctionDef):
                self.functions[stmt.name.value] = stmt
                self._holders[id(stmt)] = outer
            elif isinstance(stmt, cst.ClassDef):
                info = ClassInfo(stmt, [])
                for base in stmt.bases:
                    if base.keyword is not None:
                        continue
                    qualified = self.imports.qualify(base.value)
                    if qualified in self._module_bases:
                        info.is_module = True
                    name = dotted_name(base.value)
                    if name is not None and "." not in name:
                        info.base_names.append(name)
                for item in stmt.body.body:
                    if isinstance(item, cst.FunctionDef):
                        info.methods[item.name.value] = item
                        self._holders[id(item)] = outer
                self.classes[stmt.name.value] = info

    def _close_module_subclasses(self) -> None:
        changed = True
        while changed:
            changed = False
            for info in self.classes.values():
                if not info.is_module and any(
                    self.classes.get(b) is not None and self.classes[b].is_module for b in info.base_names
                ):
                    info.is_module = changed = True

    def holder(self, function: cst.FunctionDef) -> Optional[cst.CSTNode]:
        """The statement of ``module.body`` that holds ``function``."""
        return self._holders.get(id(function))

    def is_module_class(self, name: str) -> bool:
        info = self.classes.get(name)
        return info is not None and info.is_module

    def owns_parameters(self, name: str, _seen: Optional[Set[str]] = None) -> bool:
        """Whether module class ``name`` of this file creates nn.Parameters in its
        __init__ (directly, through a torch.nn layer, or through another such class).
        Read on demand: only forward code that builds an in-file module asks."""
        info = self.classes.get(name)
        if info is None or not info.is_module:
            return False
        seen = _seen if _seen is not None else set()
        for owner in self._lineage(info):
            init = owner.methods.get("__init__")
            if init is None or owner.node.name.value in seen:
                continue
            seen.add(owner.node.name.value)
            finder = _ParameterMakers(self, seen)
            init.body.visit(finder)
            if finder.found:
                return True
        return False

    # Attributes set in __init__ -----------------------------------------
    def _read_init(self, info: ClassInfo, init: cst.FunctionDef) -> None:
        """The kinds of the attributes __init__ sets, and which are in-file submodules."""
        kinds = info.attributes
        for node in _walk_statements(init.body):
            if isinstance(node, cst.Assign):
                submodule = self._in_file_module(node.value)
                for target in node.targets:
                    attr = _self_attribute(target.target)
                    if attr is not None:
                        kinds[attr] = self._init_value_kind(node.value)
                        if submodule is not None:
                            info.submodules[attr] = submodule
            elif isinstance(node, cst.AnnAssign) and node.value is not None:
                attr = _self_attribute(node.target)
                if attr is not None:
                    kinds[attr] = self._init_value_kind(node.value)
            elif isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
                call = node.value
                if (
                    isinstance(call.func, cst.Attribute)
                    and call.func.attr.value == "register_buffer"
                    and _self_attribute(call.func) is not None
                    and call.args
                    and isinstance(call.args[0].value, cst.SimpleString)
                ):
                    kinds[call.args[0].value.evaluated_value] = Kind.TENSOR

    def _in_file_module(self, value: cst.BaseExpression) -> Optional[str]:
        """``Name`` for ``Name(...)`` when Name is a module class of this file."""
        if isinstance(value, cst.Call):
            name = dotted_name(value.func)
            if name is not None and self.is_module_class(name):
                return name
        return None

    def _init_value_kind(self, value: cst.BaseExpression) -> Kind:
        if isinstance(value, (cst.Integer, cst.Float, cst.SimpleString)):
            return Kind.CONST
        if isinstance(value, cst.Name) and value.value in ("True", "False"):
            return Kind.CONST
        if isinstance(value, cst.Call):
            qualified = self.imports.qualify(value.func) or ""
            tail = qualified.rsplit(".", 1)[-1]
            if qualified in _NN_CONTAINER_CALLS:
                return Kind.TENSOR
            if qualified.startswith("torch.") and tail in _TENSOR_FACTORIES and qualified.count(".") == 1:
                return Kind.TENSOR
            if qualified.startswith("torch.nn.") and tail[:1].isupper():
                return Kind.MODULE
            if self._in_file_module(value) is not None:
                return Kind.MODULE
        return Kind.UNKNOWN

    # Call graph ----------------------------------------------------------
    def _method_of(self, info: ClassInfo, name: str, seen: Optional[Set[str]] = None) -> Optional[tuple]:
        if name in info.methods:
            return info, info.methods[name]
        seen = seen or set()
        for base in info.base_names:
            if base in self.classes and base not in seen:
                seen.add(base)
                found = self._method_of(self.classes[base], name, seen)
                if found:
                    return found
        return None

    def roots(self) -> List[TracedFunction]:
        """The forward methods export starts tracing from, a module's before those
        of the submodules it creates (so their call sites are seen first)."""
        depth = self._submodule_depths()
        ordered = sorted(
            (info for info in self.classes.values() if info.is_module and "forward" in info.methods),
            key=lambda info: depth.get(info.node.name.value, 0),
        )
        return [TracedFunction(info.methods["forward"], info) for info in ordered]

    def _submodule_depths(self) -> Dict[str, int]:
        """How many in-file modules deep each class is created (0: never a submodule here)."""
        depth: Dict[str, int] = {}
        for _ in range(len(self.classes)):  # longest chains settle in at most this many rounds
            changed = False
            for name, info in self.classes.items():
                for child in info.submodules.values():
                    if child != name and depth.get(child, 0) < depth.get(name, 0) + 1 <= len(self.classes):
                        depth[child] = depth.get(name, 0) + 1
                        changed = True
            if not changed:
                break
        return depth

    def submodule_forward(self, call: cst.Call, caller: TracedFunction) -> Optional[TracedFunction]:
        """The forward that ``self.attr(...)`` runs, when attr is an in-file module made in __init__."""
        attr = _self_attribute(call.func) if caller.owner is not None else None
        if attr is None:
            return None
        for info in self._lineage(caller.owner):
            if attr in info.submodules:
                child = self.classes.get(info.submodules[attr])
                found = self._method_of(child, "forward") if child is not None else None
                return TracedFunction(found[1], found[0]) if found else None
        return None

    def callee(self, call: cst.Call, caller: TracedFunction) -> Optional[TracedFunction]:
        """The in-file function a call in traced code runs, if it can be told."""
        func = call.func
        if isinstance(func, cst.Name) and func.value in self.functions:
            return TracedFunction(self.functions[func.value], None)
        if caller.owner is not None and _self_attribute(func) is not None:
            found = self._method_of(caller.owner, func.attr.value)
            if found:
                return TracedFunction(found[1], found[0])
        return None

    def attribute_kind(self, owner: Optional[ClassInfo], attr: str) -> Kind:
        for info in self._lineage(owner):
            if attr in info.attributes:
                return info.attributes[attr]
        return Kind.UNKNOWN

    def _lineage(self, owner: Optional[ClassInfo]) -> Iterator[ClassInfo]:
        """``owner``, then its base classes defined in this file (each once)."""
        seen: Set[str] = set()
        stack = [owner] if owner is not None else []
        while stack:
            info = stack.pop()
            yield info
            for base in info.base_names:
                if base in self.classes and base not in seen:
                    seen.add(base)
                    stack.append(self.classes[base])


class _ParameterMakers(cst.CSTVisitor):
    """Finds a call in an __init__ that creates parameters."""

    def __init__(self, model_map: "ModelMap", seen: Set[str]) -> None:
        self.model_map = model_map
        self.seen = seen
        self.found = False

    def visit_Call(self, node: cst.Call) -> bool:
        qualified = self.model_map.imports.qualify(node.func) or ""
        if qualified in PARAMETER_CALLS or (
            qualified.startswith("torch.nn.") and qualified.rsplit(".", 1)[-1] in PARAMETERISED_LAYERS
        ):
            self.found = True
        else:
            name = dotted_name(node.func)
            if name is not None and "." not in name and self.model_map.owns_parameters(name, self.seen):
                self.found = True
        return not self.found


def _self_attribute(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
        return node.attr.value
    return None


def _walk_statements(block: cst.BaseSuite) -> Iterator[cst.CSTNode]:
    """Small statements of a block, descending into compound statements but not defs."""
    body = block.body if isinstance(block, cst.IndentedBlock) else [block]
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            yield from stmt.body
        elif isinstance(stmt, cst.SimpleStatementSuite):
            yield from stmt.body
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            continue
        else:
            for attr in ("body", "orelse", "finalbody"):
                child = getattr(stmt, attr, None)
                if isinstance(child, cst.BaseSuite):
                    yield from _walk_statements(child)
                elif isinstance(child, (cst.If, cst.Else)):
                    yield from _walk_statements(child.body)
