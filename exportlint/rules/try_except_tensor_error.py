"""EXP127: ``try``/``except`` that catches errors of tensor operations, for strict export.

``try: col = x[:, 10] except IndexError: col = x[:, -1]`` falls back when a
shape does not allow the first spelling. TorchDynamo cannot catch an error
raised by a tensor operation while it traces: when the try body raises for
the example inputs, strict export fails with that error (IndexError,
TorchRuntimeError for a failed view). Non-strict export runs the handler, but
fake tensors may raise another exception type than eager (a failed
``view`` raised ValueError, not RuntimeError, and escaped the handler), and
either way the program holds only the path the example took (measured on
torch 2.13). Reported for strict targets, at the tensor operation in the try
body; handlers for KeyError/AttributeError/ImportError and ``try/finally`` are
not reported, nor a try whose every catching handler raises again (LayoutLMv3's
``except IndexError as e: raise IndexError("bbox ...") from e``,
modeling_layoutlmv3.py:115; strict export measured to export): with no fallback
path, export fails exactly where eager fails.
"""

from __future__ import annotations

from typing import Dict, Set

import libcst as cst

from exportlint.analysis.walk import visit
from exportlint.analysis.kinds import Kind
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta

# What tensor operations raise; `except Exception` and a bare `except` catch them too.
_TENSOR_ERRORS = frozenset({"RuntimeError", "IndexError", "ValueError", "Exception", "BaseException"})


def _catches_tensor_errors(handler: cst.ExceptHandler) -> bool:
    kind = handler.type
    if kind is None:
        return True
    names = [el.value for el in kind.elements] if isinstance(kind, cst.Tuple) else [kind]
    return any(isinstance(n, cst.Name) and n.value in _TENSOR_ERRORS for n in names)


def _raises_again(handler: cst.ExceptHandler) -> bool:
    """The handler's last statement is a `raise`: it adds a message, not a fallback path."""
    body = handler.body.body if isinstance(handler.body, cst.IndentedBlock) else [handler.body]
    last = body[-1] if body else None
    smalls = last.body if isinstance(last, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) else ()
    return any(isinstance(small, cst.Raise) for small in smalls)


class _Ops(cst.CSTVisitor):
    def __init__(self) -> None:
        self.ids: Set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        self.ids.add(id(node))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.ids.add(id(node))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a def in the try body does not run there


class TryExceptTensorError(Rule):
    meta = RuleMeta(
        code="EXP127",
        name="try-except-tensor-error",
        summary="a tensor operation inside `try:` whose handler catches RuntimeError/IndexError/ValueError/Exception, "
                "for strict export",
        why="TorchDynamo cannot catch an exception raised by a tensor operation while it traces; and the exported "
            "program holds only the path the example inputs took.",
        instead="decide with the shape instead of an exception (`if x.shape[1] > 10:`, torch.cond on a size), or "
                "use the spelling that always works (reshape instead of view)",
        cases=("try_except_tensor_error",),
        fails_when="when the try body raises for the example inputs",
        fix=NoAutofix("the failure the handler catches must be ruled out by a check before the op, by hand"),
    )

    def __init__(self) -> None:
        self._guarded: Dict[int, int] = {}  # id(op in a try body) -> id(try)
        self._reported: Set[int] = set()

    def visit_Try(self, node: cst.Try, ctx, behaviour: Behaviour) -> None:
        catching = [h for h in node.handlers if _catches_tensor_errors(h)]
        if catching and not all(_raises_again(h) for h in catching):
            ops = _Ops()
            visit(node.body, ops)
            for op in ops.ids:
                self._guarded.setdefault(op, id(node))

    def _check(self, node: cst.BaseExpression, ctx, behaviour: Behaviour) -> None:
        owner = self._guarded.get(id(node))
        if owner is None or owner in self._reported or ctx.kind(node) is not Kind.TENSOR:
            return
        self._reported.add(owner)  # one finding per try: the first tensor operation it guards
        self.report(ctx, node, f"`{code(node)}` may raise inside try/except", behaviour)

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        self._check(node, ctx, behaviour)

    def visit_Subscript(self, node: cst.Subscript, ctx, behaviour: Behaviour) -> None:
        self._check(node, ctx, behaviour)
