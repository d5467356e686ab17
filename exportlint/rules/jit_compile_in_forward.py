"""EXP128: ``torch.jit.trace(...)`` / ``torch.jit.script(...)`` called in code reachable from forward.

Compiling with TorchScript while export traces: strict export refuses both
calls ("Attempted to call function marked as skipped", or, after other
exports in the same process, "Skip calling `torch.compiler.disable()`d
function"). Non-strict export
fails on ``torch.jit.trace`` (the TorchScript tracer meets fake tensors:
"Expected bool, got FakeTensor") and traces through ``torch.jit.script`` of a
plain function, agreeing with eager (measured on torch 2.13), so
``torch.jit.script`` is reported for strict targets only. Module-level
``@torch.jit.script`` helpers export in both modes and are not reported.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import STRICT, Behaviour, Rule, RuleMeta

_TRACE = frozenset({"torch.jit.trace", "torch.jit.trace_module"})
_SCRIPT = frozenset({"torch.jit.script"})


class JitCompileInForward(Rule):
    meta = RuleMeta(
        code="EXP128",
        name="jit-compile-in-forward",
        summary="torch.jit.trace or torch.jit.script called in code reachable from forward",
        why="TorchScript compilation is a separate tracer/compiler; export cannot run it inside its own trace.",
        instead="call the module or function directly (export captures it); script or trace once, outside the model, "
                "if TorchScript is needed",
        cases=("jit_compile_in_forward",),
        fix=NoAutofix("the scripted or traced function must move out of forward, to where the model is built"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        qualified = ctx.qualify(node.func)
        if qualified in _TRACE or (qualified in _SCRIPT and ctx.target.mode == STRICT):
            self.report(ctx, node, f"`{code(node.func)}()` compiles with TorchScript while export traces", behaviour)
