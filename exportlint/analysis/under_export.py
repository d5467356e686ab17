"""Tests whose value export fixes while it traces: the branches it never takes.

No FileContext import: callers pass anything with ``qualify(node)``.
"""

from __future__ import annotations

from typing import Iterator

import libcst as cst


def is_training_flag(node: cst.BaseExpression) -> bool:
    """`self.training`: export is run on models in eval mode, where it is False."""
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == "training"
        and isinstance(node.value, cst.Name)
        and node.value.value == "self"
    )


NEVER_TRUE_UNDER_EXPORT = frozenset({"torch.jit.is_scripting", "torch.jit.is_tracing"})
# True under export in both modes (measured on 2.13: case near_miss_untraced_branches);
# transformers' is_torchdynamo_compiling/exporting return exactly these (utils/import_utils.py).
ALWAYS_TRUE_UNDER_EXPORT = frozenset({
    "torch.compiler.is_compiling", "torch.compiler.is_exporting",
    "transformers.utils.is_torchdynamo_compiling", "transformers.utils.import_utils.is_torchdynamo_compiling",
    "transformers.utils.is_torchdynamo_exporting", "transformers.utils.import_utils.is_torchdynamo_exporting",
})


def and_operands(test: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The operands of an `and` chain, in source order (the test itself when it is not one)."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        yield from and_operands(test.left)
        yield from and_operands(test.right)
    else:
        yield test


def _flag_call(test: cst.BaseExpression, ctx, flags: frozenset) -> bool:
    return isinstance(test, cst.Call) and not test.args and ctx.qualify(test.func) in flags


def false_under_export(test: cst.BaseExpression, ctx) -> bool:
    """Whether a test is False whenever export traces: ``self.training`` (export is
    run on eval-mode models), ``torch.jit.is_scripting()`` and
    ``torch.jit.is_tracing()`` (False under export in both modes: catalog case
    jit_flags_in_forward), ``not torch.compiler.is_compiling()``, or an ``and``
    with one of those anywhere in it."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return any(false_under_export(operand, ctx) for operand in and_operands(test))
    if is_training_flag(test):
        return True
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _flag_call(test.expression, ctx, ALWAYS_TRUE_UNDER_EXPORT)
    return _flag_call(test, ctx, NEVER_TRUE_UNDER_EXPORT)


def true_under_export(test: cst.BaseExpression, ctx) -> bool:
    if _flag_call(test, ctx, ALWAYS_TRUE_UNDER_EXPORT):
        return True
    return (
        isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)
        and false_under_export(test.expression, ctx)
    )
