"""What an expression in traced code is, as far as export is concerned.

export traces tensors symbolically; sizes read from a tensor's shape are
symbolic ints when the dimension is dynamic; values read out of a tensor's
data (``.item()``, ``int(t)``) are data-dependent; everything else is a Python
value that is fixed at trace time.
"""

from __future__ import annotations

import enum
from typing import Callable, Dict, Optional

import libcst as cst

from exportlint.imports import ImportTable


class Kind(enum.Enum):
    TENSOR = "tensor"
    SHAPE = "shape"  # a torch.Size: a tuple of sizes
    SIZE = "size"  # a (possibly symbolic) int derived from a shape
    DATA = "data"  # a Python scalar or list read out of tensor values
    CONST = "const"  # fixed at trace time: literals, dtypes, ranks
    MODULE = "module"  # an nn.Module instance; calling it gives a tensor
    UNKNOWN = "unknown"


# Tensor methods whose result is not a tensor.
_METHOD_KINDS = {
    "item": Kind.DATA,
    "tolist": Kind.DATA,
    "numel": Kind.SIZE,
    "dim": Kind.CONST,
    "ndimension": Kind.CONST,
    "is_floating_point": Kind.CONST,
    "is_complex": Kind.CONST,
    "is_contiguous": Kind.CONST,
    "get_device": Kind.CONST,
    "element_size": Kind.CONST,
    "data_ptr": Kind.CONST,
    "stride": Kind.UNKNOWN,
    "numpy": Kind.UNKNOWN,
}
_TENSOR_ATTRS_CONST = {"ndim", "dtype", "device", "is_cuda", "requires_grad", "layout", "is_sparse"}
_TENSOR_ATTRS_TENSOR = {"T", "mT", "H", "mH", "real", "imag", "data", "grad"}

# torch.* callables that do not return a tensor.
_TORCH_NON_TENSOR = {
    "torch.sym_int": Kind.SIZE,
    "torch.sym_float": Kind.SIZE,
    "torch.sym_min": Kind.SIZE,
    "torch.sym_max": Kind.SIZE,
    "torch.sym_not": Kind.SIZE,
    "torch.Size": Kind.SHAPE,
    "torch.is_tensor": Kind.CONST,
    "torch.is_floating_point": Kind.CONST,
    "torch.is_grad_enabled": Kind.CONST,
    "torch.is_autocast_enabled": Kind.CONST,
    "torch.device": Kind.CONST,
    "torch.finfo": Kind.CONST,
    "torch.iinfo": Kind.CONST,
    "torch.get_default_dtype": Kind.CONST,
    "torch.jit.is_scripting": Kind.CONST,
    "torch.jit.is_tracing": Kind.CONST,
    "torch.compiler.is_compiling": Kind.CONST,
    "torch.compiler.is_exporting": Kind.CONST,
    "torch._dynamo.is_compiling": Kind.CONST,
}
_TORCH_NON_TENSOR_PREFIXES = ("torch._check", "torch.export.", "torch._dynamo.", "torch.fx.")

_ROUNDING = {"round", "math.ceil", "math.floor", "math.trunc", "int", "abs", "min", "max"}
_SCALAR_CASTS = {"int", "float", "bool", "complex"}


def combine(*kinds: Kind) -> Kind:
    """The kind of an arithmetic result, from the kinds of its operands."""
    if Kind.TENSOR in kinds:
        return Kind.TENSOR
    if Kind.DATA in kinds:
        return Kind.DATA
    if Kind.UNKNOWN in kinds or Kind.MODULE in kinds or Kind.SHAPE in kinds:
        return Kind.UNKNOWN
    if Kind.SIZE in kinds:
        return Kind.SIZE
    return Kind.CONST


class Scope:
    """Kinds of the local names of one traced function (flow-insensitive)."""

    def __init__(self, parent: Optional["Scope"] = None) -> None:
        self.parent = parent
        self.names: Dict[str, Kind] = {}

    def lookup(self, name: str) -> Optional[Kind]:
        scope: Optional[Scope] = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None


class Classifier:
    """Answers "what is this expression?" for one file's traced code."""

    def __init__(self, imports: ImportTable, self_attr_kind: Callable[[str], Kind]) -> None:
        self.imports = imports
        self.self_attr_kind = self_attr_kind

    def builtin(self, func: cst.BaseExpression, scope: Scope) -> Optional[str]:
        """'round', 'math.ceil', ... when func names a builtin or a math function."""
        if isinstance(func, cst.Name):
            if scope.lookup(func.value) is not None:
                return None  # shadowed by a local
            qualified = self.imports.qualify(func)
            return qualified or func.value
        qualified = self.imports.qualify(func)
        if qualified and qualified.startswith(("math.", "numpy.", "np.")):
            return qualified
        return None

    def kind(self, node: cst.BaseExpression, scope: Scope) -> Kind:
        method = getattr(self, "_" + type(node).__name__, None)
        return method(node, scope) if method else Kind.UNKNOWN

    # Leaves --------------------------------------------------------------
    def _Integer(self, node, scope):
        return Kind.CONST

    _Float = _Imaginary = _SimpleString = _ConcatenatedString = _FormattedString = _Integer

    def _Name(self, node: cst.Name, scope: Scope) -> Kind:
        if node.value in ("True", "False", "None"):
            return Kind.CONST
        found = scope.lookup(node.value)
        return found if found is not None else Kind.UNKNOWN

    # Compound expressions ------------------------------------------------
    def _Attribute(self, node: cst.Attribute, scope: Scope) -> Kind:
        attr = node.attr.value
        if isinstance(node.value, cst.Name) and node.value.value == "self":
            return self.self_attr_kind(attr)
        qualified = self.imports.qualify(node)
        if qualified and qualified.startswith("torch."):
            return Kind.CONST  # torch.float32, torch.long, ...
        base = self.kind(node.value, scope)
        if base is Kind.TENSOR:
            if attr == "shape":
                return Kind.SHAPE
            if attr in _TENSOR_ATTRS_CONST:
                return Kind.CONST
            if attr in _TENSOR_ATTRS_TENSOR:
                return Kind.TENSOR
        return Kind.UNKNOWN

    def _Subscript(self, node: cst.Subscript, scope: Scope) -> Kind:
        base = self.kind(node.value, scope)
        if base is Kind.SHAPE:
            single = len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index)
            return Kind.SIZE if single else Kind.SHAPE
        if base in (Kind.TENSOR, Kind.DATA):
            return base
        return Kind.UNKNOWN

    def _Call(self, node: cst.Call, scope: Scope) -> Kind:
        func = node.func
        name = self.builtin(func, scope)
        args = [a.value for a in node.args if not a.star]
        if name is not None:
            return self._builtin_call(name, args, scope)
        qualified = self.imports.qualify(func)
        if qualified is not None and qualified.startswith("torch."):
            if qualified in _TORCH_NON_TENSOR:
                return _TORCH_NON_TENSOR[qualified]
            if qualified.startswith(_TORCH_NON_TENSOR_PREFIXES):
                return Kind.UNKNOWN
            return Kind.TENSOR
        if isinstance(func, cst.Attribute):
            receiver = self.kind(func.value, scope)
            method = func.attr.value
            if receiver is Kind.TENSOR:
                if method == "size":
                    return Kind.SIZE if args else Kind.SHAPE
                return _METHOD_KINDS.get(method, Kind.TENSOR)
            if receiver is Kind.SHAPE and method == "numel":
                return Kind.SIZE
            if receiver is Kind.MODULE:
                return Kind.UNKNOWN  # self.sub.method(...): could be anything
        if self.kind(func, scope) is Kind.MODULE:
            return Kind.TENSOR
        return Kind.UNKNOWN

    def _builtin_call(self, name: str, args, scope: Scope) -> Kind:
        kinds = [self.kind(a, scope) for a in args]
        if name == "len" and kinds:
            return {Kind.TENSOR: Kind.SIZE, Kind.SHAPE: Kind.CONST}.get(kinds[0], Kind.UNKNOWN)
        if name in _SCALAR_CASTS and kinds:
            if kinds[0] is Kind.TENSOR:
                return Kind.DATA
            return kinds[0] if kinds[0] in (Kind.SIZE, Kind.DATA, Kind.CONST) else Kind.UNKNOWN
        if name in _ROUNDING and kinds:
            return combine(*kinds)
        return Kind.UNKNOWN

    def _BinaryOperation(self, node: cst.BinaryOperation, scope: Scope) -> Kind:
        return combine(self.kind(node.left, scope), self.kind(node.right, scope))

    def _UnaryOperation(self, node: cst.UnaryOperation, scope: Scope) -> Kind:
        inner = self.kind(node.expression, scope)
        if isinstance(node.operator, cst.Not) and inner is Kind.TENSOR:
            return Kind.DATA  # `not t` calls bool(t)
        return inner

    def _BooleanOperation(self, node: cst.BooleanOperation, scope: Scope) -> Kind:
        return combine(self.kind(node.left, scope), self.kind(node.right, scope))

    def _Comparison(self, node: cst.Comparison, scope: Scope) -> Kind:
        ops = [c.operator for c in node.comparisons]
        if all(isinstance(op, (cst.Is, cst.IsNot)) for op in ops):
            return Kind.CONST  # identity checks never look at values
        if any(isinstance(op, (cst.In, cst.NotIn, cst.Is, cst.IsNot)) for op in ops):
            return Kind.UNKNOWN
        kinds = [self.kind(node.left, scope)] + [self.kind(c.comparator, scope) for c in node.comparisons]
        return combine(*kinds)

    def _IfExp(self, node: cst.IfExp, scope: Scope) -> Kind:
        body, orelse = self.kind(node.body, scope), self.kind(node.orelse, scope)
        return body if body is orelse else Kind.UNKNOWN
