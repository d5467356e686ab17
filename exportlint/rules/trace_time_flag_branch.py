"""EXP301: a branch on ``torch.compiler.is_exporting()`` / ``is_compiling()`` that changes what forward computes.

Both flags are True while export traces (strict and non-strict), so the
program holds only the flagged branch, while the eager model runs the other:
``if torch.compiler.is_exporting(): return fast(x)`` exports a different
function from the one users test. Often that is the point (an export-friendly
spelling); it is advice to check the two agree. Branches that only check,
warn or log (``if not is_compiling(): assert ...``) are not reported, nor are
``torch.jit.is_tracing()`` / ``is_scripting()``, which are False under export,
so export keeps eager's branch. ``torch.fx`` ``is_fx_tracing()`` is True under
non-strict export only, and is reported for non-strict targets (measured on
torch 2.13).
"""

from __future__ import annotations

from typing import Optional, Sequence

import libcst as cst

from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import NON_STRICT, Behaviour, Rule, RuleMeta

# True under torch.export (measured, both modes, torch 2.13).
_EXPORT_FLAGS = frozenset({"torch.compiler.is_exporting", "torch.compiler.is_compiling", "torch._dynamo.is_compiling"})
# True under non-strict export only (it traces with make_fx); False under strict export.
_NON_STRICT_FLAGS = frozenset({"torch.fx._symbolic_trace.is_fx_tracing"})
_CHECK_CALLS = frozenset({"print", "warnings.warn", "torch._assert", "logging.debug", "logging.info",
                          "logging.warning", "logging.error"})
_LOGGER_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "warning_once"})


def flag_call(test: cst.BaseExpression, ctx) -> Optional[cst.Call]:
    """The export flag call when ``test`` is ``flag()`` or ``not flag()``."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        test = test.expression
    if not isinstance(test, cst.Call) or test.args:
        return None
    qualified = ctx.qualify(test.func)
    if qualified in _EXPORT_FLAGS or (qualified in _NON_STRICT_FLAGS and ctx.target.mode == NON_STRICT):
        return test
    return None


def _only_checks(body: Sequence[cst.CSTNode], ctx) -> bool:
    """True when statements only check, warn or log: both branches compute the same."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            if not all(_is_check(small, ctx) for small in stmt.body):
                return False
        elif isinstance(stmt, cst.If):
            if not _only_checks(stmt.body.body, ctx):
                return False
            orelse = stmt.orelse
            if orelse is not None and not _only_checks(
                [orelse] if isinstance(orelse, cst.If) else orelse.body.body, ctx
            ):
                return False
        else:
            return False
    return True


def _is_check(small: cst.BaseSmallStatement, ctx) -> bool:
    if isinstance(small, (cst.Pass, cst.Assert, cst.Raise)):
        return True
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        if (ctx.qualify(func) or code(func)) in _CHECK_CALLS:
            return True
        return isinstance(func, cst.Attribute) and func.attr.value in _LOGGER_METHODS
    return False


class TraceTimeFlagBranch(Rule):
    meta = RuleMeta(
        code="EXP301",
        name="trace-time-flag-branch",
        summary="an `if`/conditional expression on torch.compiler.is_exporting() or is_compiling() whose branches "
                "compute different things",
        why=(
            "These flags are True while export traces: the program keeps only that branch, and the eager model "
            "(what tests usually run) computes the other."
        ),
        instead=(
            "make both branches compute the same function (test that the exported program matches eager), or use "
            "the flag only to skip checks and logging"
        ),
        cases=("trace_time_flag_branch",),
        specializes="keeps only the branch taken when the flag is True; eager runs the other",
        fix=NoAutofix("which branch export should keep is the author's decision"),
    )

    def visit_If(self, node: cst.If, ctx, behaviour: Behaviour) -> None:
        call = flag_call(node.test, ctx)
        if call is None:
            return
        orelse = node.orelse
        other = [] if orelse is None else [orelse] if isinstance(orelse, cst.If) else orelse.body.body
        if _only_checks(node.body.body, ctx) and _only_checks(other, ctx):
            return
        self._report(call, ctx, behaviour)

    def visit_IfExp(self, node: cst.IfExp, ctx, behaviour: Behaviour) -> None:
        call = flag_call(node.test, ctx)
        if call is not None and code(node.body) != code(node.orelse):
            self._report(call, ctx, behaviour)

    def _report(self, call: cst.Call, ctx, behaviour: Behaviour) -> None:
        self.report(ctx, call, f"branch on `{code(call.func)}()`, which is True under export", behaviour)
