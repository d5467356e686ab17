"""EXP215: ``print`` or logging of a tensor's value in forward.

``print("mean", x.mean())`` or ``logger.info("%s", x)`` in traced code runs
once, while exporting (non-strict export prints a FakeTensor, which has no
values), and is not part of the program: the exported model never prints or
logs. Messages without tensor values are not reported.
"""

from __future__ import annotations

from typing import Dict, Set, Tuple

import libcst as cst

from exportlint.analysis.walk import visit
from exportlint.analysis.imports import dotted_name
from exportlint.analysis.kinds import Kind
from exportlint.fix import UNSAFE, Autofix, Form
from exportlint.fixes.rewrite import RemoveStatement, Replace, Rewrite
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.sizes import code
from exportlint.analysis.models import top_level_statements

_LOG_METHODS = frozenset("debug info warning warn error critical exception log".split())
_LOGGER_FACTORIES = frozenset({"getLogger", "get_logger"})


class _Values(cst.CSTVisitor):
    """Expressions an argument formats, including those inside f-strings."""

    def __init__(self) -> None:
        self.found = []

    def visit_FormattedStringExpression(self, node: cst.FormattedStringExpression) -> bool:
        self.found.append(node.expression)
        return False


class PrintTensor(Rule):
    meta = RuleMeta(
        code="EXP215",
        name="print-tensor",
        summary=(
            "print() or a logger call whose arguments include a tensor (or a value read from one) in code reachable "
            "from forward"
        ),
        why="Printing is a Python side effect: export runs it once while tracing and the graph has no op for it.",
        instead=(
            "return the values you want to see and print them outside the model (or use torch._assert_async for checks)"
        ),
        cases=("print_tensor_in_forward",),
        specializes=("runs the call once while tracing (non-strict: on a FakeTensor that has no values) and leaves "
                     "it out of the program"),
        fix=Autofix(
            forms=(
                Form("remove the print()/logger call statement (`pass` when it is alone in its block)", UNSAFE,
                     "eager calls stop printing or logging too; the exported program never did"),
            ),
            otherwise="the call is part of a larger statement or shares its line with another statement",
        ),
    )

    def __init__(self) -> None:
        self._loggers: Set[str] = set()
        self._scanned = False
        # id of a call that is a whole statement line -> (the line, whether its block has other statements)
        self._statements: Dict[int, Tuple[cst.SimpleStatementLine, bool]] = {}

    def visit_IndentedBlock(self, node: cst.IndentedBlock, ctx, behaviour: Behaviour) -> None:
        for statement in node.body:
            if (
                isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1
                and isinstance(statement.body[0], cst.Expr)
            ):
                self._statements[id(statement.body[0].value)] = (statement, len(node.body) > 1)

    def _removal(self, node: cst.Call):
        found = self._statements.get(id(node))
        if found is None:
            return None
        statement, has_others = found
        change = RemoveStatement(statement) if has_others else Replace(statement.body[0], "pass")
        return Rewrite(UNSAFE, "remove the call", (change,))

    def _logger_names(self, ctx) -> Set[str]:
        if not self._scanned:
            self._scanned = True
            for stmt in top_level_statements(ctx.model_map.module.body):
                if not isinstance(stmt, cst.SimpleStatementLine):
                    continue
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call):
                        factory = (dotted_name(small.value.func) or "").rsplit(".", 1)[-1]
                        if factory in _LOGGER_FACTORIES:
                            for target in small.targets:
                                if isinstance(target.target, cst.Name):
                                    self._loggers.add(target.target.value)
        return self._loggers

    def _is_output_call(self, func: cst.BaseExpression, ctx) -> bool:
        if isinstance(func, cst.Name):
            return ctx.builtin(func) == "print"
        if not isinstance(func, cst.Attribute) or func.attr.value not in _LOG_METHODS:
            return False
        receiver = func.value
        if isinstance(receiver, cst.Name):
            if ctx.scope.lookup(receiver.value) is not None:
                return False
            return receiver.value in self._logger_names(ctx) or ctx.qualify(receiver) == "logging"
        return False

    def _shows_values(self, arg: cst.BaseExpression, ctx) -> bool:
        if isinstance(arg, cst.FormattedString):
            values = _Values()
            visit(arg, values)
            return any(self._shows_values(v, ctx) for v in values.found)
        return ctx.kind(arg) in (Kind.TENSOR, Kind.DATA)

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if not self._is_output_call(node.func, ctx):
            return
        for arg in node.args:
            if arg.keyword is None and not arg.star and self._shows_values(arg.value, ctx):
                self.report(
                    ctx, node, f"`{code(node.func)}()` of tensor value `{code(arg.value)}`", behaviour,
                    self._removal(node),
                )
                return
