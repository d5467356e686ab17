"""Which sizes in traced code are static, automatic or named dims.

A size read from a forward input (``x.shape[1]``, ``x.size(1)``,
``x.size()[1]``, ``len(x)``, ``x.shape[-1]`` when the rank is known), a name
bound to one, or simple arithmetic on those, has the flavour its dim was
declared with at the export site (or in the settings). Sizes the analysis
cannot trace to an input get the model's fallback: static when every input
dim of the model is static (nothing in it can be dynamic), else unknown, and
rules then behave as they do without any site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import libcst as cst

from exportlint.analysis.export_sites import (
    AUTO, DYNAMIC, NAMED, STATIC, STATIC_DIM, UNKNOWN, DimSpec, ExportSite,
)
from exportlint.analysis.models import ClassInfo, ModelMap, TracedFunction
from exportlint.analysis.literals import int_literal
from exportlint.tree_from_ast import source_code as _code

# Defaults for models with neither a site nor a setting.
DEFAULT_UNKNOWN = "unknown"  # size rules behave as without site information
DEFAULT_STATIC = "static"
DEFAULT_AUTO = "auto"
DEFAULTS = (DEFAULT_UNKNOWN, DEFAULT_STATIC, DEFAULT_AUTO)


@dataclass(frozen=True)
class ParamShape:
    """The declared dims of one forward parameter (others static)."""

    name: str
    dims: Tuple[Tuple[int, DimSpec], ...] = ()
    rank: Optional[int] = None
    readable: bool = True


@dataclass(frozen=True)
class ModelShapes:
    """What one model's forward inputs are, and where that was said."""

    origin: str  # "scripts/export.py:14", "[tool.exportlint.dynamic-shapes]", "default"
    params: Tuple[ParamShape, ...] = ()
    strict: Optional[bool] = None
    every_dim: Optional[DimSpec] = None  # the default for every dim of every input, if any

    @property
    def all_static(self) -> bool:
        if self.every_dim is not None:
            return self.every_dim.flavour == STATIC
        return all(p.readable and not p.dims for p in self.params)

    def param(self, name: str) -> Optional[ParamShape]:
        for param in self.params:
            if param.name == name:
                return param
        return None


@dataclass(frozen=True)
class SizeFlavour:
    """A size's flavour and what it came from, for messages."""

    spec: DimSpec
    label: str = ""  # "x.shape[1]"
    origin: str = ""

    @property
    def flavour(self) -> str:
        return self.spec.flavour

    def describe(self) -> str:
        """`x.shape[1]` is dynamic (`Dim("t", max=128)` at export.py:14)"""
        declared = self.spec.text or self.spec.flavour
        return f"`{self.label}` is dynamic (`{declared}` at {self.origin})"

    @property
    def dim_name(self) -> str:
        return self.spec.name or self.label


def forward_params(forward: cst.FunctionDef) -> List[str]:
    params = forward.params
    names = [p.name.value for p in list(params.posonly_params) + list(params.params)]
    return names[1:] + [p.name.value for p in params.kwonly_params]  # without self


def shapes_from_site(site: ExportSite, forward: cst.FunctionDef, origin: str) -> ModelShapes:
    """A site's declarations mapped onto forward's parameter names."""
    names = forward_params(forward)
    by_name: Dict[str, ParamShape] = {}
    unreadable = site.dynamic_shapes == "unreadable"
    for spec in site.inputs:
        positional = spec.position is not None and spec.position < len(names)
        name = spec.keyword or (names[spec.position] if positional else "")
        if not name:
            continue
        old = by_name.get(name)
        rank = len(spec.sizes) if spec.sizes is not None else (old.rank if old else None)
        dims = spec.dims or (old.dims if old else ())
        readable = spec.readable and (old.readable if old else True)
        by_name[name] = ParamShape(name, dims, rank, readable and not unreadable)
    params = tuple(by_name.values())
    if unreadable:
        return ModelShapes(origin, params, site.strict, every_dim=DimSpec(UNKNOWN))
    return ModelShapes(origin, params, site.strict)


class FileShapes:
    """The shapes of each model class of one file, and the fallback for its code."""

    def __init__(self, model_map: ModelMap, by_class: Dict[str, ModelShapes], default: str) -> None:
        self.model_map = model_map
        self.by_class = by_class
        self.default = default
        self._inherited = self._submodule_shapes()

    def for_class(self, name: str) -> Optional[ModelShapes]:
        return self.by_class.get(name) or self._inherited.get(name) or self._default_shapes()

    def _default_shapes(self) -> Optional[ModelShapes]:
        if self.default == DEFAULT_STATIC:
            return ModelShapes("the default (`default-dims = \"static\"`)", every_dim=STATIC_DIM)
        if self.default == DEFAULT_AUTO:
            return ModelShapes("the default (`default-dims = \"auto\"`)", every_dim=DimSpec(AUTO, text="Dim.AUTO"))
        return None

    def _submodule_shapes(self) -> Dict[str, ModelShapes]:
        """Modules created in the __init__ of an all-static model are all-static too."""
        inherited: Dict[str, ModelShapes] = {}
        changed = True
        while changed:
            changed = False
            for name, info in self.model_map.classes.items():
                parent = self.by_class.get(name) or inherited.get(name)
                if parent is None or not parent.all_static:
                    continue
                for child in info.submodules.values():
                    if child not in self.by_class and child not in inherited:
                        inherited[child] = ModelShapes(parent.origin, every_dim=STATIC_DIM)
                        changed = True
        return inherited

    def fallback(self, owner: Optional[ClassInfo]) -> Optional[DimSpec]:
        """The flavour of sizes not traced to an input, in code of ``owner`` (None: a helper)."""
        if owner is not None:
            shapes = self.for_class(owner.node.name.value)
            return STATIC_DIM if shapes is not None and shapes.all_static else None
        modules = [n for n, info in self.model_map.classes.items() if info.is_module and "forward" in info.methods]
        every = [self.for_class(n) for n in modules]
        if every and all(s is not None and s.all_static for s in every):
            return STATIC_DIM
        return None


# Tensors of a function: name -> (param shape, origin)
_Tensor = Tuple[ParamShape, str, Optional[DimSpec]]


class FlavourTracker:
    """Answers ``size_flavour(expr)`` for the function being traversed.

    Bound names are kept per traversal scope, like the kinds; rebinding a name to
    something untracked forgets it.
    """

    def __init__(self, shapes: Optional[FileShapes]) -> None:
        self.shapes = shapes
        self._tensors: Dict[int, Dict[str, _Tensor]] = {}
        self._sizes: Dict[int, Dict[str, Optional[SizeFlavour]]] = {}
        self._fallback: Optional[DimSpec] = None
        self._origin = ""
        self._scopes: Dict[int, object] = {}

    @property
    def active(self) -> bool:
        return self.shapes is not None

    def start_function(self, traced: TracedFunction, scope) -> None:
        self._fallback = None
        if self.shapes is None:
            return
        self._fallback = self.shapes.fallback(traced.owner)
        if not traced.is_forward:
            return
        model = self.shapes.for_class(traced.owner.node.name.value)
        if model is None:
            return
        self._origin = model.origin
        tensors = self._tensors.setdefault(id(scope), {})
        self._scopes[id(scope)] = scope
        for name in forward_params(traced.node):
            param = model.param(name)
            if param is None:
                param = ParamShape(name)  # not declared: static
            tensors[name] = (param, model.origin, model.every_dim)

    def strict_for(self, traced: TracedFunction) -> Optional[bool]:
        """strict= given at the export call of the model whose code this is (None: the file's mode)."""
        if self.shapes is None or traced.owner is None:
            return None
        model = self.shapes.by_class.get(traced.owner.node.name.value)
        return model.strict if model is not None else None

    # Binding --------------------------------------------------------------
    def bind(self, target: cst.BaseExpression, value: cst.BaseExpression, scope) -> None:
        if self.shapes is None:
            return
        if isinstance(target, cst.Name):
            self._set_size(target.value, self.flavour(value, scope), scope)
            self._forget_tensor(target.value, value, scope)
        elif isinstance(target, (cst.Tuple, cst.List)):
            tensor = self._tensor(value, scope)
            shape_of = _shape_receiver(value)
            for index, element in enumerate(target.elements):
                if isinstance(element.value, cst.Name):
                    name = element.value.value
                    found = None
                    if shape_of is not None and tensor is not None and not isinstance(element, cst.StarredElement):
                        found = self._dim(tensor, index, f"{_code(shape_of)}.shape[{index}]")
                    self._set_size(name, found, scope)

    def forget(self, target: cst.BaseExpression, scope) -> None:
        """`n += k`: no longer known."""
        if self.shapes is not None and isinstance(target, cst.Name):
            self._set_size(target.value, None, scope)

    def _set_size(self, name: str, flavour: Optional[SizeFlavour], scope) -> None:
        self._sizes.setdefault(id(scope), {})[name] = flavour
        self._scopes[id(scope)] = scope

    def _forget_tensor(self, name: str, value: cst.BaseExpression, scope) -> None:
        tensors = self._tensors.get(id(scope))
        if tensors is not None and name in tensors and not _same_shape(value, name):
            del tensors[name]

    # Lookup ----------------------------------------------------------------
    def _lookup(self, table: Dict[int, Dict], name: str, scope):
        current = scope
        while current is not None:
            entry = table.get(id(current))
            if entry is not None and self._scopes.get(id(current)) is current and name in entry:
                return True, entry[name]
            if name in current.names and table is self._sizes:
                return True, None
            current = current.parent
        return False, None

    def _tensor(self, node: cst.BaseExpression, scope) -> Optional[_Tensor]:
        receiver = _shape_receiver(node) or node
        if isinstance(receiver, cst.Name):
            found, value = self._lookup(self._tensors, receiver.value, scope)
            if found:
                return value
        return None

    def _dim(self, tensor: _Tensor, index: int, label: str) -> Optional[SizeFlavour]:
        param, origin, every = tensor
        if every is not None:
            return SizeFlavour(every, label, origin) if every.flavour != UNKNOWN else None
        if not param.readable:
            return None
        if index < 0:
            if not param.dims:
                return SizeFlavour(STATIC_DIM, label, origin)  # no dim declared: every one static
            if param.rank is None:
                return None
            index += param.rank
        for declared, spec in param.dims:
            if declared == index:
                return SizeFlavour(spec, label, origin) if spec.flavour != UNKNOWN else None
        return SizeFlavour(STATIC_DIM, label, origin)

    def flavour(self, expr: cst.BaseExpression, scope) -> Optional[SizeFlavour]:
        """The flavour of a size expression; None when it cannot be told (or is not a size)."""
        if self.shapes is None:
            return None
        direct = self._read_dim(expr, scope)
        if direct is not None:
            return direct
        if isinstance(expr, cst.Integer):
            return SizeFlavour(STATIC_DIM, _code(expr))
        if isinstance(expr, cst.Name):
            found, value = self._lookup(self._sizes, expr.value, scope)
            if found and value is not None:
                return value
            return self._untracked(expr)
        if isinstance(expr, cst.BinaryOperation):
            return _combine([self.flavour(expr.left, scope), self.flavour(expr.right, scope)], expr)
        if isinstance(expr, cst.UnaryOperation):
            return self.flavour(expr.expression, scope)
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value in ("int", "min", "max"):
            return _combine([self.flavour(a.value, scope) for a in expr.args], expr)
        return self._untracked(expr)

    def input_dim(self, tensor: cst.BaseExpression, index: int, scope) -> Optional[SizeFlavour]:
        """The flavour of dim ``index`` of a forward input named by ``tensor``; None if not an input."""
        if self.shapes is None or not isinstance(tensor, cst.Name):
            return None
        found, value = self._lookup(self._tensors, tensor.value, scope)
        if not found or value is None:
            return None
        return self._dim(value, index, f"{tensor.value}.shape[{index}]")

    def _untracked(self, expr: cst.BaseExpression) -> Optional[SizeFlavour]:
        return SizeFlavour(self._fallback, _code(expr), self._origin) if self._fallback is not None else None

    def _read_dim(self, expr: cst.BaseExpression, scope) -> Optional[SizeFlavour]:
        """x.shape[i], x.size(i), x.size()[i], len(x)."""
        index: Optional[int] = None
        tensor_node: Optional[cst.BaseExpression] = None
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
            base = expr.value
            if isinstance(base, cst.Attribute) and base.attr.value == "shape":
                tensor_node = base.value
            elif _shape_receiver(base) is not None:
                tensor_node = _shape_receiver(base)
            index = int_literal(expr.slice[0].slice.value)
        elif isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "size" \
                and len(expr.args) == 1:
            tensor_node, index = expr.func.value, int_literal(expr.args[0].value)
        elif isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "len" \
                and len(expr.args) == 1:
            tensor_node, index = expr.args[0].value, 0
        if tensor_node is None or not isinstance(tensor_node, cst.Name):
            return None
        found, tensor = self._lookup(self._tensors, tensor_node.value, scope)
        if not found or tensor is None or index is None:
            return None
        return self._dim(tensor, index, _code(expr))


def _combine(parts: Sequence[Optional[SizeFlavour]], expr: cst.BaseExpression) -> Optional[SizeFlavour]:
    """Arithmetic: named wins over automatic over static; unknown spoils it."""
    if any(p is None for p in parts) or not parts:
        return None
    for flavour in (NAMED, DYNAMIC, AUTO):
        for part in parts:
            if part.flavour == flavour:
                return part
    return SizeFlavour(STATIC_DIM, _code(expr), parts[0].origin)


_SHAPE_KEEPING = frozenset("to float half double bfloat16 contiguous clone detach cpu cuda".split())


def _same_shape(value: cst.BaseExpression, name: str) -> bool:
    """`x = x * 2`, `x = x.float()`: x keeps its shape, and its dims their flavours."""
    if isinstance(value, cst.Name):
        return value.value == name
    if isinstance(value, cst.BinaryOperation):
        sides = (value.left, value.right)
        return any(_same_shape(s, name) for s in sides) and any(
            isinstance(s, (cst.Integer, cst.Float)) for s in sides
        )
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
        return value.func.attr.value in _SHAPE_KEEPING and _same_shape(value.func.value, name)
    return False


def _shape_receiver(node: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """x for x.shape / x.size()."""
    if isinstance(node, cst.Attribute) and node.attr.value == "shape":
        return node.value
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "size" \
            and not node.args:
        return node.func.value
    return None


def is_dynamic(flavour: Optional[SizeFlavour]) -> bool:
    return flavour is not None and flavour.flavour in (AUTO, DYNAMIC, NAMED)


def file_shapes(model_map: ModelMap, sites: Iterable[Tuple[str, ExportSite]],
                configured: Dict[str, ModelShapes], default: str) -> FileShapes:
    """Per-class shapes for one file: sites ((path, site), in order) first, then settings, then the default."""
    by_class: Dict[str, ModelShapes] = {}
    for path, site in sites:
        info = model_map.classes.get(site.model)
        forward = info.methods.get("forward") if info is not None else None
        if forward is None or site.model in by_class:
            continue  # a model of another file (the project index carries it), or its first site wins
        by_class[site.model] = shapes_from_site(site, forward, f"{path}:{site.line}")
    for name in model_map.classes:
        if name not in by_class:
            for key, shapes in configured.items():
                if _key_matches(key, name):
                    by_class[name] = shapes
                    break
    return FileShapes(model_map, by_class, default)


def _key_matches(key: str, class_name: str) -> bool:
    """`Net`, `pkg.models.Net`, `pkg.models.Net.forward` all name class Net."""
    parts = key.split(".")
    if parts[-1] == "forward":
        parts = parts[:-1]
    return bool(parts) and parts[-1] == class_name
