"""What a traced function's parameters are, from its signature and callers."""

from __future__ import annotations

from typing import Dict, List, Optional

import libcst as cst

from exportlint.analysis.imports import dotted_name
from exportlint.analysis.kinds import Kind
from exportlint.analysis.models import TracedFunction
from exportlint.analysis.literals import is_none


def annotation_kind(annotation: Optional[cst.Annotation]) -> Optional[Kind]:
    if annotation is None:
        return None
    return _annotated_kind(annotation.annotation)


_PYTHON_SCALARS = frozenset({"int", "float", "bool", "str"})
_PYTHON_VALUES = frozenset({Kind.SIZE, Kind.SHAPE, Kind.CONST, Kind.DATA})
# What a caller passes that says more than a Python-scalar annotation or a literal default:
# `is_global: bool | None = None` given `mask.any().item()` holds a value read from data.
_MORE_THAN_A_FLAG = frozenset({Kind.SIZE, Kind.SHAPE, Kind.DATA})


def _annotated_kind(node: cst.BaseExpression) -> Kind:
    """TENSOR for `Tensor`, `torch.FloatTensor`, `Optional[Tensor]`, `Tensor | None`;
    CONST for int/float/bool/str; UNKNOWN for the rest, containers of tensors
    included (`list[Tensor]` is a Python list: its truth and length are static)."""
    if isinstance(node, cst.SimpleString):  # a forward reference: "torch.Tensor"
        text = node.raw_value.strip()
        name = text.rsplit(".", 1)[-1]
        if name.isidentifier() and all(part.isidentifier() for part in text.split(".")):
            return _named_kind(name)
        return Kind.UNKNOWN
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):  # X | None
        if is_none(node.right):
            return _annotated_kind(node.left)
        return _annotated_kind(node.right) if is_none(node.left) else Kind.UNKNOWN
    if isinstance(node, cst.Subscript):
        wrapper = dotted_name(node.value) or ""
        members = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
        if wrapper.rsplit(".", 1)[-1] in ("Optional", "Union"):
            kinds = {_annotated_kind(m) for m in members if not is_none(m)}
            return kinds.pop() if len(kinds) == 1 else Kind.UNKNOWN
        return Kind.UNKNOWN
    name = dotted_name(node)
    return _named_kind(name.rsplit(".", 1)[-1]) if name else Kind.UNKNOWN


def _named_kind(name: str) -> Kind:
    if name.endswith("Tensor"):  # Tensor, FloatTensor, LongTensor, ...
        return Kind.TENSOR
    return Kind.CONST if name in _PYTHON_SCALARS else Kind.UNKNOWN


def _literal_default(default: Optional[cst.BaseExpression]) -> bool:
    """A default that is a Python value (False, 0, "x"), not None and not a call."""
    if isinstance(default, (cst.Integer, cst.Float, cst.SimpleString)):
        return True
    return isinstance(default, cst.Name) and default.value in ("True", "False")


def takes_self(traced: TracedFunction) -> bool:
    """A method's first parameter is the instance (or the class), a staticmethod's is not."""
    if traced.owner is None:
        return False
    return not any(dotted_name(d.decorator) == "staticmethod" for d in traced.node.decorators)


def parameter_kinds(traced: TracedFunction, passed: Optional[Dict[str, Kind]] = None) -> Dict[str, Kind]:
    """Kinds of a traced function's parameters.

    forward's inputs are what the user passes to export: unannotated ones with
    no default are tensors; a Python literal default makes a flag, whatever the
    annotation claims (`output_attentions: Tensor | None = False`), unless a
    caller passes a size or a value read from data (a `bool` annotation does not
    make `mask.any().item()` a constant); an
    unannotated None default could be a tensor or a cache object, so unknown;
    a parent module that passes a size or a number makes it one. Helpers take
    the kinds their traced callers pass (``passed``, by parameter name), else
    what their annotations say.
    """
    params = traced.node.params
    passed = passed or {}
    kinds: Dict[str, Kind] = {}
    positional = list(params.posonly_params) + list(params.params)
    if takes_self(traced) and positional:
        positional = positional[1:]  # self
    for param in positional + list(params.kwonly_params):
        name = param.name.value
        declared = annotation_kind(param.annotation)
        given = passed.get(name)
        if given in _MORE_THAN_A_FLAG and (declared in (None, Kind.CONST, Kind.UNKNOWN)):
            kind = given
        elif _literal_default(param.default):
            kind = Kind.CONST
        elif declared is not None and not (declared is Kind.UNKNOWN and given is not None and not traced.is_forward):
            kind = declared
        elif traced.is_forward:
            kind = Kind.TENSOR if param.default is None else Kind.UNKNOWN
            if given in _PYTHON_VALUES:  # a parent module passes a size or a number, not a tensor
                kind = given
            elif given in (Kind.TENSOR, Kind.TENSORS):  # `attention_mask=None`, and the parent passes tensors
                kind = given
        elif given is not None:
            kind = given
        else:
            kind = Kind.UNKNOWN
        kinds[name] = kind
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            kinds[star.name.value] = Kind.UNKNOWN
    return kinds


def parameter_names(traced: TracedFunction) -> List[str]:
    """Positional parameter names, ``self`` left out: what positional arguments bind to."""
    params = traced.node.params
    positional = [p.name.value for p in list(params.posonly_params) + list(params.params)]
    return positional[1:] if takes_self(traced) and positional else positional


def keyword_names(traced: TracedFunction) -> List[str]:
    return parameter_names(traced) + [p.name.value for p in traced.node.params.kwonly_params]


def star_kwargs(traced: TracedFunction) -> Optional[str]:
    star = traced.node.params.star_kwarg
    return star.name.value if isinstance(star, cst.Param) else None
