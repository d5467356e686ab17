"""Names an ``if`` body must not take for tensors: ``isinstance`` tests on them.

An ``isinstance`` test is the code's own word that a name may hold something
else than its annotation says. DETR-family models annotate
``encoder_outputs: torch.Tensor | None`` and then, under
``elif not isinstance(encoder_outputs, BaseModelOutput):``, treat it as the
tuple the caller passed (``encoder_outputs[1] if len(encoder_outputs) > 1``):
``len()`` of a tuple is static. So in the body of an ``if`` whose test
(or one operand of an ``and`` chain) is ``isinstance(x, C)`` or
``not isinstance(x, C)``, ``x`` is of unknown kind, except after a positive
test against tensor classes only (``isinstance(x, torch.Tensor)``: a tensor).
"""

from __future__ import annotations

from typing import Iterator, Tuple

import libcst as cst

from exportlint.analysis.imports import dotted_name
from exportlint.analysis.under_export import and_operands


def names_not_known_in_body(test: cst.BaseExpression, ctx) -> Iterator[str]:
    """The names whose kind the body of ``if test:`` cannot take from before the test."""
    for operand in and_operands(test):
        negated = isinstance(operand, cst.UnaryOperation) and isinstance(operand.operator, cst.Not)
        call = operand.expression if negated else operand
        tested = _isinstance_test(call, ctx)
        if tested is None:
            continue
        name, classes = tested
        if negated or not all(_tensor_class(c) for c in classes):
            yield name


def _isinstance_test(node: cst.BaseExpression, ctx) -> "Tuple[str, Tuple[cst.BaseExpression, ...]] | None":
    if not isinstance(node, cst.Call) or len(node.args) != 2 or ctx.builtin(node.func) != "isinstance":
        return None
    subject, classes = node.args[0].value, node.args[1].value
    if not isinstance(subject, cst.Name) or node.args[0].star or node.args[1].star:
        return None
    if isinstance(classes, cst.Tuple):
        return subject.value, tuple(e.value for e in classes.elements)
    return subject.value, (classes,)


def _tensor_class(node: cst.BaseExpression) -> bool:
    """``torch.Tensor``, ``torch.FloatTensor``, ``nn.Parameter``: what annotations call tensors too."""
    name = dotted_name(node) or ""
    last = name.rsplit(".", 1)[-1]
    return last.endswith("Tensor") or last == "Parameter"
