"""Which functions of a file export traces, found from the file alone.

Roots are the ``forward`` methods of ``nn.Module`` subclasses; from there the
methods called on ``self`` and the module-level functions called by name are
traced too. Only top-level statements and class bodies are read here: this
pass is cheap. The engine then walks forward methods and follows ``callee``
into the functions they call, so each traced body is traversed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst

from exportlint.analysis.walk import visit
from exportlint.analysis.imports import ImportTable, dotted_name
from exportlint.analysis.kinds import Kind, is_self_config
from exportlint.analysis.library_bases import FORWARD_REPLACING_DECORATORS, library_base_kind
from exportlint.analysis.module_state import PARAMETER_CALLS, PARAMETERISED_LAYERS

# Answers "is the class with this qualified name an nn.Module?": True, False,
# or None when nothing says (a base from a package outside the project).
BaseResolver = Callable[[str], Optional[bool]]

_TENSOR_FACTORIES = frozenset(
    "tensor as_tensor zeros ones empty full randn rand randint arange linspace eye "
    "zeros_like ones_like empty_like full_like randn_like rand_like from_numpy".split()
)
_BUFFER = "torch.nn.Buffer"
_NN_CONTAINER_CALLS = frozenset({"torch.nn.Parameter", "torch.nn.Buffer", "torch.nn.parameter.Parameter"})


@dataclass
class ClassInfo:
    node: cst.ClassDef
    base_names: List[str]  # in-file base class names
    is_module: bool = False
    methods: Dict[str, cst.FunctionDef] = field(default_factory=dict)
    attributes: Dict[str, Kind] = field(default_factory=dict)
    submodules: Dict[str, str] = field(default_factory=dict)  # self.attr = InFileModule(...) in __init__
    # self.attr = Cls(...) or nn.ModuleList([Cls(...) ...]) in __init__, Cls from another file (qualified)
    foreign_submodules: Dict[str, str] = field(default_factory=dict)
    buffer_objects: Set[str] = field(default_factory=set)  # self.attr = nn.Buffer(...) in __init__
    unresolved_base: bool = False  # a base nothing can classify (a package outside the project)
    forward_takes_self: bool = False


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

    def __init__(
        self,
        module: cst.Module,
        extra_bases: Sequence[str] = (),
        imports: Optional[ImportTable] = None,
        resolve_base: Optional[BaseResolver] = None,
        unresolved_forward_is_module: bool = True,
    ) -> None:
        self.module = module  # for rules that read module-level statements (pytree registrations)
        self.imports = imports if imports is not None else ImportTable()
        self.classes: Dict[str, ClassInfo] = {}
        self.functions: Dict[str, cst.FunctionDef] = {}
        self._resolve_base = resolve_base or (lambda qualified: library_base_kind(qualified, extra_bases))
        # id(def) -> the statement of module.body holding it: positions are
        # computed for that statement alone when it holds a finding.
        self._holders: Dict[int, cst.CSTNode] = {}
        for outer in module.body:
            self._read_statement(outer)
        self._close_module_subclasses()
        if unresolved_forward_is_module:
            self._assume_unresolved_modules()
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
                    value = base.value.value if isinstance(base.value, cst.Subscript) else base.value
                    name = dotted_name(value)
                    qualified = self.imports.qualify(value)
                    if qualified is not None:
                        verdict = self._resolve_base(qualified)
                        info.is_module = info.is_module or verdict is True
                        info.unresolved_base = info.unresolved_base or verdict is None
                    elif name is not None and "." not in name:
                        info.base_names.append(name)  # a class of this file (or a name no import binds)
                for item in stmt.body.body:
                    if isinstance(item, cst.FunctionDef):
                        info.methods[item.name.value] = item
                        self._holders[id(item)] = outer
                if any(self._replaces_forward(d.decorator) for d in stmt.decorators):
                    info.methods.pop("forward", None)  # export traces the library's dispatcher, not this
                forward = info.methods.get("forward")
                info.forward_takes_self = forward is not None and _first_parameter(forward) == "self"
                self.classes[stmt.name.value] = info

    def _replaces_forward(self, decorator: cst.BaseExpression) -> bool:
        func = decorator.func if isinstance(decorator, cst.Call) else decorator
        return self.imports.qualify(func) in FORWARD_REPLACING_DECORATORS

    def _close_module_subclasses(self) -> None:
        changed = True
        while changed:
            changed = False
            for info in self.classes.values():
                if not info.is_module and any(
                    self.classes.get(b) is not None and self.classes[b].is_module for b in info.base_names
                ):
                    info.is_module = changed = True

    def _assume_unresolved_modules(self) -> None:
        """A class with ``forward(self, ...)`` whose bases come from a package the
        project does not hold is taken for a module (the documented fallback,
        ``unresolved-bases-are-modules``); its in-file subclasses follow."""
        for info in self.classes.values():
            if not info.is_module and info.forward_takes_self and self._has_unresolved_base(info, set()):
                info.is_module = True
        self._close_module_subclasses()

    def _has_unresolved_base(self, info: ClassInfo, seen: Set[str]) -> bool:
        if info.unresolved_base:
            return True
        for base in info.base_names:
            if base in seen:
                continue
            seen.add(base)
            if base not in self.classes:
                return True  # a name no import or class statement of this file binds
            if self._has_unresolved_base(self.classes[base], seen):
                return True
        return False

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
            visit(init.body, finder)
            if finder.found:
                return True
        return False

    # Attributes set in __init__ -----------------------------------------
    def _read_init(self, info: ClassInfo, init: cst.FunctionDef) -> None:
        """The kinds of the attributes __init__ sets, and which are in-file submodules; then those
        set by the class's own methods __init__ calls (m2m_100's ``self.make_weights(...)`` makes
        ``self.weights``), where __init__ left them unknown."""
        self._read_setup(info, init, info.attributes)
        for helper in _methods_called(init, info):
            found: Dict[str, Kind] = {}
            self._read_setup(info, helper, found)
            for attr, kind in found.items():
                if info.attributes.get(attr, Kind.UNKNOWN) is Kind.UNKNOWN:
                    info.attributes[attr] = kind

    def _read_setup(self, info: ClassInfo, init: cst.FunctionDef, kinds: Dict[str, Kind]) -> None:
        configs, values = _config_parameters(init), _python_value_parameters(init)
        for node in _walk_statements(init.body):
            if isinstance(node, cst.Assign):
                submodule = self._in_file_module(node.value)
                foreign = None if submodule is not None else self._foreign_module(node.value)
                for target in node.targets:
                    attr = self_attribute(target.target)
                    if attr is not None:
                        kinds[attr] = self._init_value_kind(node.value, configs, values)
                        if isinstance(node.value, cst.Call) and self.imports.qualify(node.value.func) == _BUFFER:
                            info.buffer_objects.add(attr)
                        if submodule is not None:
                            info.submodules[attr] = submodule
                        elif foreign is not None:
                            # Its kind stays unknown: a library module's forward may return a
                            # tuple or an output object, not a tensor.
                            info.foreign_submodules.setdefault(attr, foreign)
            elif isinstance(node, cst.AnnAssign) and node.value is not None:
                attr = self_attribute(node.target)
                if attr is not None:
                    kinds[attr] = self._init_value_kind(node.value, configs, values)
            elif isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
                call = node.value
                if (
                    isinstance(call.func, cst.Attribute)
                    and call.func.attr.value == "register_buffer"
                    and self_attribute(call.func) is not None
                    and call.args
                    and isinstance(call.args[0].value, cst.SimpleString)
                ):
                    kinds[call.args[0].value.evaluated_value] = Kind.TENSOR

    def _in_file_module(self, value: cst.BaseExpression) -> Optional[str]:
        """``Name`` for ``Name(...)``, or for the items of ``nn.ModuleList([Name(...) ...])``,
        when Name is a module class of this file."""
        if not isinstance(value, cst.Call):
            return None
        name = dotted_name(value.func)
        if name is not None and self.is_module_class(name):
            return name
        for item in _container_items(value, self.imports):
            inner = dotted_name(item.func)
            if inner is not None and self.is_module_class(inner):
                return inner
        return None

    def _foreign_module(self, value: cst.BaseExpression) -> Optional[str]:
        """The qualified class of ``Cls(...)``, or of the items of ``nn.ModuleList([Cls(...) ...])``,
        when Cls is imported and known to be a module."""
        if not isinstance(value, cst.Call):
            return None
        qualified = self.imports.qualify(value.func)
        if qualified is None:
            return None
        if _is_container(qualified):
            for item in _container_items(value, self.imports):
                made = self.imports.qualify(item.func)
                if made is not None and self._resolve_base(made) is True and not made.startswith("torch."):
                    return made
            return None
        if qualified.startswith("torch."):
            return None
        return qualified if self._resolve_base(qualified) is True else None

    def _init_value_kind(self, value: cst.BaseExpression, configs: FrozenSet[str], values: FrozenSet[str]) -> Kind:
        if isinstance(value, (cst.Integer, cst.Float, cst.SimpleString)):
            return Kind.CONST
        if isinstance(value, cst.Name) and value.value in values:
            return Kind.CONST  # `self.padding_idx = padding_idx`, annotated `int | None`
        if _config_field(value, configs):
            return Kind.CONST  # `self.block_size = config.block_size`: a config's fields are Python values
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

    def submodule_forward(
        self, call: cst.Call, caller: TracedFunction, held: Optional[Dict[str, Tuple[str, str]]] = None
    ) -> Optional[TracedFunction]:
        """The forward that ``self.attr(...)`` runs, when attr is an in-file module made in
        __init__; or that ``layer(...)`` runs for ``layer`` taken from such a container."""
        child_name = None
        if isinstance(call.func, cst.Name) and held and held.get(call.func.value, ("", ""))[0] == LOCAL:
            child_name = held[call.func.value][1]
        else:
            attr = self_attribute(call.func) if caller.owner is not None else None
            if attr is None:
                return None
            child_name = self._submodule_class(caller.owner, attr)
        child = self.classes.get(child_name) if child_name is not None else None
        found = self._method_of(child, "forward") if child is not None else None
        return TracedFunction(found[1], found[0]) if found else None

    def container_item(
        self, iterable: cst.BaseExpression, caller: Optional[TracedFunction]
    ) -> Optional[Tuple[str, str]]:
        """(LOCAL, class name) or (FOREIGN, qualified class) of the modules in ``self.layers``."""
        attr = self_attribute(iterable) if caller is not None and caller.owner is not None else None
        if attr is None:
            return None
        for info in self._lineage(caller.owner):
            if attr in info.submodules:
                return (LOCAL, info.submodules[attr])
            if attr in info.foreign_submodules:
                return (FOREIGN, info.foreign_submodules[attr])
        return None

    def foreign_callee(self, call: cst.Call, caller: TracedFunction, scope) -> Optional[str]:
        """The qualified name of what a call runs in another file: an imported helper, or
        the forward of a submodule whose class is imported."""
        func = call.func
        if isinstance(func, cst.Name):
            held = scope.modules.get(func.value)
            if held is not None:
                return f"{held[1]}.forward" if held[0] == FOREIGN else None
            if scope.lookup(func.value) is not None:
                return None  # a local name
        attr = self_attribute(func) if caller.owner is not None else None
        if attr is not None:
            for info in self._lineage(caller.owner):
                if attr in info.foreign_submodules:
                    return f"{info.foreign_submodules[attr]}.forward"
            return None
        qualified = self.imports.qualify(func)
        if qualified is None or qualified.partition(".")[0] in _NOT_PROJECT_CODE:
            return None
        return qualified

    def extra_roots(self, keys: Sequence[str]) -> List[TracedFunction]:
        """Functions of this file that traced code elsewhere calls ("helper", "Mixin.forward")."""
        found = []
        for key in keys:
            owner_name, _, name = key.rpartition(".")
            if not owner_name and name in self.functions:
                found.append(TracedFunction(self.functions[name], None))
            elif owner_name in self.classes and name in self.classes[owner_name].methods:
                info = self.classes[owner_name]
                found.append(TracedFunction(info.methods[name], info))
        return found

    def callee(self, call: cst.Call, caller: TracedFunction) -> Optional[TracedFunction]:
        """The in-file function a call in traced code runs, if it can be told."""
        func = call.func
        if isinstance(func, cst.Name) and func.value in self.functions:
            return TracedFunction(self.functions[func.value], None)
        if caller.owner is not None and self_attribute(func) is not None:
            found = self._method_of(caller.owner, func.attr.value)
            if found:
                return TracedFunction(found[1], found[0])
        if caller.owner is not None and isinstance(func, cst.Attribute):
            # self.structure.init_inputs(...): a method of an in-file submodule (funnel's attention
            # structure has no forward; its methods are what the model runs)
            holder = self_attribute(func.value)
            child_name = self._submodule_class(caller.owner, holder) if holder is not None else None
            child = self.classes.get(child_name) if child_name is not None else None
            found = self._method_of(child, func.attr.value) if child is not None else None
            if found:
                return TracedFunction(found[1], found[0])
        return None

    def _submodule_class(self, owner: ClassInfo, attr: str) -> Optional[str]:
        """The in-file module class ``self.attr`` holds, set in the __init__ of ``owner`` or a base."""
        return next((i.submodules[attr] for i in self._lineage(owner) if attr in i.submodules), None)

    def attribute_kind(self, owner: Optional[ClassInfo], attr: str) -> Kind:
        for info in self._lineage(owner):
            if attr in info.attributes:
                return info.attributes[attr]
        return Kind.UNKNOWN

    def is_buffer_object(self, owner: Optional[ClassInfo], attr: str) -> bool:
        """``self.attr`` was made with ``nn.Buffer(...)`` in the __init__ of the class or an in-file base."""
        return any(attr in info.buffer_objects for info in self._lineage(owner))

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


def _config_parameters(init: cst.FunctionDef) -> FrozenSet[str]:
    """__init__'s parameters that hold a model config: named ``config``, or annotated ``...Config``."""
    names = set()
    for param in init.params.params:
        annotation = dotted_name(param.annotation.annotation) if param.annotation is not None else None
        if param.name.value == "config" or (annotation or "").endswith("Config"):
            names.add(param.name.value)
    return frozenset(names)


def _python_value_parameters(function: cst.FunctionDef) -> FrozenSet[str]:
    """Parameters annotated with a Python scalar (``int``, ``float | None``, ...)."""
    from exportlint.analysis.parameters import annotation_kind  # parameters.py imports this module

    return frozenset(p.name.value for p in function.params.params if annotation_kind(p.annotation) is Kind.CONST)


def _methods_called(init: cst.FunctionDef, info: ClassInfo) -> List[cst.FunctionDef]:
    """The class's own methods that ``__init__`` calls as statements (``self.make_weights(...)``)."""
    found = []
    for node in _walk_statements(init.body):
        if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
            name = self_attribute(node.value.func)
            method = info.methods.get(name) if name is not None else None
            if method is not None and method is not init and method not in found:
                found.append(method)
    return found


def _config_field(value: cst.BaseExpression, configs: FrozenSet[str]) -> bool:
    """``config.block_size``, ``config.text_config.hidden_size``, ``self.config.x``: a config's field."""
    if not isinstance(value, cst.Attribute):
        return False
    root = value.value
    while isinstance(root, cst.Attribute):
        if is_self_config(root):
            return True
        root = root.value
    return isinstance(root, cst.Name) and root.value in configs


LOCAL, FOREIGN = "local", "foreign"  # a module class of this file, or an imported one

# Packages whose functions are never the project's own traced code.
_NOT_PROJECT_CODE = frozenset({"torch", "math", "numpy", "builtins", "typing", "functools", "itertools", "operator",
                               "collections", "os", "sys", "warnings", "logging", "copy", "random", "time"})


def _is_container(qualified: str) -> bool:
    return qualified.startswith("torch.nn") and qualified.rsplit(".", 1)[-1] in ("ModuleList", "Sequential")


def _container_items(value: cst.Call, imports: ImportTable) -> List[cst.Call]:
    """The calls that make the items of ``nn.ModuleList([Block(...) for _ in ...])`` or
    ``nn.Sequential(Block(...), ...)``."""
    qualified = imports.qualify(value.func)
    if qualified is None or not _is_container(qualified):
        return []
    items: List[cst.Call] = []
    for arg in value.args:
        inner = arg.value
        if isinstance(inner, (cst.ListComp, cst.GeneratorExp)):
            candidates = [inner.elt]
        elif isinstance(inner, (cst.List, cst.Tuple)):
            candidates = [e.value for e in inner.elements]
        else:
            candidates = [inner]
        items.extend(c for c in candidates if isinstance(c, cst.Call))
    return items


def _first_parameter(function: cst.FunctionDef) -> Optional[str]:
    params = list(function.params.posonly_params) + list(function.params.params)
    return params[0].name.value if params else None


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


def self_attribute(node: cst.BaseExpression) -> Optional[str]:
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
