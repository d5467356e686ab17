"""What an expression in traced code is, as far as export is concerned.

export traces tensors symbolically; sizes read from a tensor's shape are
symbolic ints when the dimension is dynamic; values read out of a tensor's
data (``.item()``, ``int(t)``) are data-dependent; everything else is a Python
value that is fixed at trace time.
"""

from __future__ import annotations

from typing import Callable, Dict, Optional, Tuple

import libcst as cst

from exportlint.analysis.imports import ImportTable
from exportlint.analysis.scoped import ScopedFacts
from exportlint.analysis.under_export import false_under_export, is_training_flag, true_under_export


from exportlint.analysis.kind import Kind  # noqa: E402  (re-exported: rules import it from here)


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
    # a tuple of tensors, as many as the arguments say: iterating it unrolls no dim
    "chunk": Kind.TENSORS,
    "split": Kind.TENSORS,
    "tensor_split": Kind.TENSORS,
    "split_with_sizes": Kind.TENSORS,
    "unbind": Kind.TENSORS,
    # a dict's methods: a tensor has none, so the receiver was not one (`loss_dict = self.criterion(...)`)
    "items": Kind.UNKNOWN,
    "keys": Kind.UNKNOWN,
}
_TENSOR_ATTRS_CONST = {"ndim", "dtype", "device", "is_cuda", "requires_grad", "layout", "is_sparse"}
_TENSOR_ATTRS_TENSOR = {"T", "mT", "H", "mH", "real", "imag", "data", "grad"}
# Settings torch.nn layers keep as Python ints and tuples (mobilenet_v1's `conv_layer.stride`)
_LAYER_SETTINGS = frozenset({"stride", "kernel_size", "padding", "dilation", "groups", "in_channels", "out_channels",
                             "in_features", "out_features", "num_embeddings", "embedding_dim", "padding_idx",
                             "output_padding", "ceil_mode", "normalized_shape", "num_features", "num_groups"})

# Library helpers that are a Python cast under export: transformers' torch_int/torch_float
# return int(x)/float(x) unless torch.jit.is_tracing() (False under export), utils/generic.py.
_PYTHON_CAST_UNDER_EXPORT = {
    f"transformers.utils{module}.torch_{cast}": cast for module in ("", ".generic") for cast in ("int", "float")
}

# torch.* callables that do not return a tensor.
_TORCH_NON_TENSOR = {
    "torch.sym_int": Kind.SIZE,
    "torch.sym_float": Kind.SIZE,
    "torch.sym_min": Kind.SIZE,
    "torch.sym_max": Kind.SIZE,
    "torch.sym_not": Kind.SIZE,
    "torch.Size": Kind.SHAPE,
    "torch.chunk": Kind.TENSORS,
    "torch.split": Kind.TENSORS,
    "torch.tensor_split": Kind.TENSORS,
    "torch.unbind": Kind.TENSORS,
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
_TORCH_NON_TENSOR.update(
    {
        "torch.seed": Kind.CONST,
        "torch.initial_seed": Kind.CONST,
        "torch.numel": Kind.SIZE,
        "torch.typename": Kind.CONST,
        "torch.result_type": Kind.CONST,
        "torch.promote_types": Kind.CONST,
        "torch.can_cast": Kind.CONST,
        "torch.get_default_device": Kind.CONST,
        "torch.is_inference_mode_enabled": Kind.CONST,
        "torch.are_deterministic_algorithms_enabled": Kind.CONST,
        "torch.is_storage": Kind.CONST,
        "torch.is_complex": Kind.CONST,
        "torch.is_nonzero": Kind.DATA,
        "torch.equal": Kind.DATA,
        "torch.allclose": Kind.DATA,
    }
)
# Namespaces whose callables return tensors; elsewhere in torch (cuda, distributed,
# backends, utils, jit, autograd, ...) a call's result is not known to be one.
_TENSOR_NAMESPACES = ("torch.nn.functional.", "torch.linalg.", "torch.fft.", "torch.special.", "torch.nested.")


_ROUNDING = {"round", "math.ceil", "math.floor", "math.trunc", "int", "abs", "min", "max"}
_SCALAR_CASTS = {"int", "float", "bool", "complex"}


def is_self_config(node: cst.BaseExpression) -> bool:
    """``self.config``: transformers' PretrainedConfig, diffusers' FrozenDict config."""
    return (isinstance(node, cst.Attribute) and node.attr.value == "config"
            and isinstance(node.value, cst.Name) and node.value.value == "self")


def combine(*kinds: Kind) -> Kind:
    """The kind of an arithmetic result, from the kinds of its operands."""
    if Kind.TENSOR in kinds:
        return Kind.TENSOR
    if Kind.DATA in kinds:
        return Kind.DATA
    if Kind.UNKNOWN in kinds or Kind.MODULE in kinds or Kind.SHAPE in kinds or Kind.TENSORS in kinds:
        return Kind.UNKNOWN
    if Kind.SIZE in kinds:
        return Kind.SIZE
    return Kind.CONST


class Scope:
    """Kinds of the local names of one traced function (flow-insensitive)."""

    def __init__(self, parent: Optional["Scope"] = None) -> None:
        self.parent = parent
        self.names: Dict[str, Kind] = {}
        # name -> where its data-dependent value was read out of a tensor: an
        # expression of this file, or a description from another file
        self.origins: Dict[str, object] = {}
        # name -> the class of the module it holds (`for layer in self.layers`)
        self.modules: Dict[str, Tuple[str, str]] = {}

    def lookup_origin(self, name: str) -> object:
        scope: Optional[Scope] = self
        while scope is not None:
            if name in scope.names:
                return scope.origins.get(name)
            scope = scope.parent
        return None

    def lookup(self, name: str) -> Optional[Kind]:
        scope: Optional[Scope] = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None


# (classifier class, node type) -> its _<NodeType> method, or None (UNKNOWN): looked up once,
# not by building "_" + the type's name and a getattr on each of 1.6 M calls (transformers/models).
# The methods are plain functions, and no instance attribute has such a name.
_KIND_METHODS: Dict[Tuple[type, type], Optional[Callable]] = {}
_NOT_LOOKED_UP = object()


class Classifier:
    """Answers "what is this expression?" for one file's traced code."""

    def __init__(self, imports: ImportTable, self_attr_kind: Callable[[str], Kind]) -> None:
        self.imports = imports
        self.self_attr_kind = self_attr_kind
        # What a call of a helper returns (set by the traversal), or None: not a helper.
        self.call_kind: Optional[Callable[[cst.Call, "Scope"], Optional[Kind]]] = None

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
        key = (type(self), type(node))
        method = _KIND_METHODS.get(key, _NOT_LOOKED_UP)
        if method is _NOT_LOOKED_UP:
            method = _KIND_METHODS[key] = getattr(type(self), "_" + type(node).__name__, None)
        return method(self, node, scope) if method else Kind.UNKNOWN

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
        if is_self_config(node.value):
            return Kind.CONST  # a model config's fields are Python values (JSON-serialisable), never tensors
        qualified = self.imports.qualify(node)
        if qualified and qualified.startswith("torch."):
            return Kind.CONST  # torch.float32, torch.long, ...
        base = self.kind(node.value, scope)
        if base is Kind.MODULE and attr in _LAYER_SETTINGS:
            return Kind.CONST  # conv_layer.stride, .kernel_size: what the layer was built with
        if base is Kind.TENSOR:
            if attr == "shape":
                return Kind.SHAPE
            if attr in _TENSOR_ATTRS_CONST:
                return Kind.CONST
            if attr in _TENSOR_ATTRS_TENSOR:
                return Kind.TENSOR
        return Kind.UNKNOWN

    def _Subscript(self, node: cst.Subscript, scope: Scope) -> Kind:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) and isinstance(
            node.slice[0].slice.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
        ):
            # cfg["frames"]: a tensor cannot be indexed by a string, so whatever the receiver was taken
            # for (a forward parameter is taken for a tensor), it is a mapping (diffusers' AnyFlow rope
            # takes a dict of sizes: `min(cfg["frames"], ...) <= 0` is no tensor condition)
            return Kind.UNKNOWN
        base = self.kind(node.value, scope)
        if base is Kind.SHAPE:
            single = len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index)
            return Kind.SIZE if single else Kind.SHAPE
        if base in (Kind.TENSOR, Kind.DATA):
            return base
        if base is Kind.TENSORS and len(node.slice) == 1:
            return Kind.TENSOR if isinstance(node.slice[0].slice, cst.Index) else Kind.TENSORS
        return Kind.UNKNOWN

    def _Tuple(self, node: cst.Tuple, scope: Scope) -> Kind:
        items = node.elements
        if items and all(
            not isinstance(e, cst.StarredElement) and self.kind(e.value, scope) is Kind.TENSOR for e in items
        ):
            return Kind.TENSORS
        return Kind.UNKNOWN

    _List = _Tuple

    def _Call(self, node: cst.Call, scope: Scope) -> Kind:
        func = node.func
        if self.call_kind is not None:
            returned = self.call_kind(node, scope)
            if returned is not None:
                return returned
        name = self.builtin(func, scope)
        args = [a.value for a in node.args if not a.star]
        name = _PYTHON_CAST_UNDER_EXPORT.get(name, name)  # transformers' torch_int(x) is int(x) unless jit-tracing
        if name is not None:
            return self._builtin_call(name, args, scope)
        qualified = self.imports.qualify(func)
        if qualified is not None and qualified.startswith("torch."):
            if qualified in _TORCH_NON_TENSOR:
                return _TORCH_NON_TENSOR[qualified]
            top_level = qualified.count(".") == 1 and qualified[len("torch."):][:1].islower()
            if (top_level and not qualified.startswith("torch._")) or qualified.startswith(_TENSOR_NAMESPACES):
                return Kind.TENSOR
            return Kind.UNKNOWN
        if isinstance(func, cst.Attribute):
            receiver = self.kind(func.value, scope)
            method = func.attr.value
            if receiver is Kind.TENSOR:
                if method == "size":
                    return Kind.SIZE if args else Kind.SHAPE
                return _METHOD_KINDS.get(method, Kind.TENSOR)
            if receiver is Kind.SHAPE and method == "numel":
                return Kind.SIZE
            if receiver is Kind.UNKNOWN and method in ("item", "tolist") and not args:
                # Only tensors (and NumPy arrays, rare in traced code) have these: a value read from data.
                return Kind.DATA
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
        if name in ("max", "min") and len(kinds) >= 2 and all(k is Kind.TENSOR for k in kinds):
            return Kind.TENSOR  # one of the tensors
        return Kind.UNKNOWN

    def _BinaryOperation(self, node: cst.BinaryOperation, scope: Scope) -> Kind:
        return combine(self.kind(node.left, scope), self.kind(node.right, scope))

    def _UnaryOperation(self, node: cst.UnaryOperation, scope: Scope) -> Kind:
        inner = self.kind(node.expression, scope)
        if isinstance(node.operator, cst.Not) and inner is Kind.TENSOR:
            return Kind.DATA  # `not t` calls bool(t)
        return inner

    def _BooleanOperation(self, node: cst.BooleanOperation, scope: Scope) -> Kind:
        if isinstance(node.operator, cst.And) and is_training_flag(node.left):
            return Kind.CONST  # `self.training and ...` is False when exporting an eval model
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
        # `torch.min(...) if torch.jit.is_tracing() else min(...)`: export takes one side only
        if false_under_export(node.test, self.imports):
            return self.kind(node.orelse, scope)
        if true_under_export(node.test, self.imports):
            return self.kind(node.body, scope)
        body, orelse = self.kind(node.body, scope), self.kind(node.orelse, scope)
        return body if body is orelse else Kind.UNKNOWN


# Tensor methods and torch functions whose result has as many elements as the
# data says: export gives its first dimension an unbacked size.
_DATA_DEPENDENT_LENGTH = frozenset({"nonzero", "argwhere", "unique", "unique_consecutive", "masked_select"})
# Methods that keep a data-dependent first dimension (flattening: a multiple of it).
_KEEPS_LENGTH = frozenset(
    "flatten squeeze view reshape tolist to long int float bool cpu clone contiguous detach".split()
)
# Functions and methods whose result is a boolean tensor: indexing with it selects by data.
_MASK_MAKERS = frozenset(
    "bool isnan isinf isfinite isneginf isposinf isin logical_and logical_or logical_not logical_xor "
    "eq ne gt ge lt le".split()
)
_MASK_OPERATORS = (cst.BitAnd, cst.BitOr, cst.BitXor)

LENGTH = "length"  # a tensor (or its .tolist()) whose length is read from its data
MASK = "mask"  # a boolean tensor
COUNT = "count"  # a Python int holding such a length: len(idx), idx.shape[0], idx.numel(), arithmetic on them
_COUNT_FUNCTIONS = frozenset({"len", "min", "max", "abs", "int"})


class DataDependentLengths:
    """Which tensors of the traced code have a length read from their data.

    ``x.nonzero()``, ``x.unique()``, ``torch.masked_select(x, m)`` and ``x[mask]``
    hold as many elements as the data says. Their kind is TENSOR, but Python
    code that needs their length as an int (``len()``, a ``for`` loop) needs a
    value export does not have. Names are tracked per scope, like Scope; a rule
    that asks feeds it its traced functions' assignments in source order
    (``bind`` from ``visit_Assign``).
    """

    def __init__(self) -> None:
        self._names: ScopedFacts[str] = ScopedFacts()

    def bind(
        self, target: cst.BaseExpression, value: cst.BaseExpression, classifier: "Classifier", scope: Scope
    ) -> None:
        fact = self.fact(value, classifier, scope)
        if isinstance(target, (cst.Tuple, cst.List)):
            # `rows, cols = m.nonzero(as_tuple=True)`: every part has the data's length.
            each = fact if fact == LENGTH and self._is_tuple_of_lengths(value) else None
            for element in target.elements:
                self._set(element.value, each, scope)
        else:
            self._set(target, fact, scope)

    def has_data_dependent_length(self, expr: cst.BaseExpression, classifier: "Classifier", scope: Scope) -> bool:
        return self.fact(expr, classifier, scope) == LENGTH

    def is_count(self, expr: cst.BaseExpression, classifier: "Classifier", scope: Scope) -> bool:
        """True for a size read from a data-dependent length (``idx.shape[0]``, ``len(idx)``) or arithmetic on one."""
        return self.fact(expr, classifier, scope) == COUNT

    def fact(self, expr: cst.BaseExpression, classifier: "Classifier", scope: Scope) -> Optional[str]:
        if isinstance(expr, cst.Name):
            return self._names.get(scope, expr.value)
        if isinstance(expr, cst.Comparison):
            return MASK if classifier.kind(expr, scope) is Kind.TENSOR else None
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.BitInvert):
            return MASK if self.fact(expr.expression, classifier, scope) == MASK else None
        if isinstance(expr, cst.BinaryOperation):
            sides = (self.fact(expr.left, classifier, scope), self.fact(expr.right, classifier, scope))
            if isinstance(expr.operator, _MASK_OPERATORS) and MASK in sides:
                return MASK
            return COUNT if COUNT in sides else None
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            return COUNT if self.fact(expr.expression, classifier, scope) == COUNT else None
        if isinstance(expr, cst.Subscript):
            return self._subscript_fact(expr, classifier, scope)
        if isinstance(expr, cst.Call):
            return self._call_fact(expr, classifier, scope)
        return None

    # ------------------------------------------------------------------
    def _set(self, target: cst.BaseExpression, fact: Optional[str], scope: Scope) -> None:
        if isinstance(target, cst.Name):
            self._names.record(scope, target.value, fact)

    @staticmethod
    def _is_tuple_of_lengths(value: cst.BaseExpression) -> bool:
        if not isinstance(value, cst.Call):
            return False
        name = value.func.attr.value if isinstance(value.func, cst.Attribute) else ""
        return name == "where" or any(
            arg.keyword is not None and arg.keyword.value in ("as_tuple", "return_counts") for arg in value.args
        )

    def _subscript_fact(self, expr: cst.Subscript, classifier: "Classifier", scope: Scope) -> Optional[str]:
        first = expr.slice[0].slice if expr.slice else None
        if (
            isinstance(expr.value, cst.Attribute) and expr.value.attr.value == "shape"
            and isinstance(first, cst.Index) and _is_zero(first.value)
        ):
            return COUNT if self.fact(expr.value.value, classifier, scope) == LENGTH else None
        base = self.fact(expr.value, classifier, scope)
        if base == LENGTH:
            # `idx[:, 0]` keeps the rows; `torch.where(m)[0]` is one of the index tensors.
            if isinstance(first, cst.Slice) or self._is_tuple_call(expr.value):
                return LENGTH
            return None
        if classifier.kind(expr.value, scope) is Kind.TENSOR and isinstance(first, cst.Index) and len(expr.slice) == 1:
            index = first.value
            if self.fact(index, classifier, scope) in (MASK, LENGTH):
                return LENGTH  # x[mask], x[idx] with idx from nonzero()
        return None

    @staticmethod
    def _tensor_repeats(args, classifier: "Classifier", scope: Scope) -> bool:
        """repeat_interleave's repeats (first positional or `repeats=`) is a tensor: one length per element."""
        for arg in args:
            if arg.keyword is None or arg.keyword.value == "repeats":
                return classifier.kind(arg.value, scope) is Kind.TENSOR
        return False

    def _is_tuple_call(self, expr: cst.BaseExpression) -> bool:
        return isinstance(expr, cst.Call) and self._is_tuple_of_lengths(expr)

    def _call_fact(self, call: cst.Call, classifier: "Classifier", scope: Scope) -> Optional[str]:
        func = call.func
        builtin = classifier.builtin(func, scope)
        if builtin in _COUNT_FUNCTIONS:
            args = [a.value for a in call.args if not a.star and a.keyword is None]
            if builtin == "len":
                return COUNT if args and self.fact(args[0], classifier, scope) == LENGTH else None
            return COUNT if any(self.fact(a, classifier, scope) == COUNT for a in args) else None
        qualified = classifier.imports.qualify(func)
        if qualified is not None and qualified.startswith("torch."):
            tail = qualified[len("torch."):]
            if tail in _DATA_DEPENDENT_LENGTH or (tail == "where" and len(call.args) == 1):
                return LENGTH
            if tail == "repeat_interleave" and self._tensor_repeats(call.args[1:] or call.args[:1], classifier, scope):
                return LENGTH
            if tail in _MASK_MAKERS:
                return MASK
            return None
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        receiver = func.value
        if method in _DATA_DEPENDENT_LENGTH and classifier.kind(receiver, scope) is Kind.TENSOR:
            return LENGTH
        if method == "repeat_interleave" and classifier.kind(receiver, scope) is Kind.TENSOR:
            if self._tensor_repeats(call.args[:1], classifier, scope):
                return LENGTH
        receiver_fact = self.fact(receiver, classifier, scope)
        if receiver_fact == LENGTH and (
            method == "numel" or (method == "size" and len(call.args) == 1 and _is_zero(call.args[0].value))
        ):
            return COUNT
        if receiver_fact == LENGTH and method in _KEEPS_LENGTH:
            return LENGTH
        if method in _MASK_MAKERS and classifier.kind(receiver, scope) is Kind.TENSOR:
            return MASK
        if receiver_fact == MASK and method in ("to", "clone", "detach", "cpu"):
            return MASK
        return None


def _is_zero(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Integer) and node.value == "0"


def parallel_assignment(target: cst.BaseExpression, value: cst.BaseExpression) -> bool:
    """`a, b = x, y`: a tuple or list target and value of the same length, no starred items."""
    sequences = (cst.Tuple, cst.List)
    return (
        isinstance(target, sequences) and isinstance(value, sequences)
        and len(target.elements) == len(value.elements)
        and not any(isinstance(e, cst.StarredElement) for e in (*target.elements, *value.elements))
    )


def names_in(node: cst.CSTNode):
    """Names read in an expression, in source order (not attribute names)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current.value
            continue
        if isinstance(current, cst.Attribute):
            stack.append(current.value)
            continue
        stack.extend(reversed(list(current.children)))
