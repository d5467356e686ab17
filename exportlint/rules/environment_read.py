"""EXP214: reading an environment variable in forward.

``os.environ.get("SCALE")``, ``os.getenv(...)`` or ``os.environ[...]`` in traced
code is evaluated once, while exporting: the program holds the value the
variable had then, and a later change of the environment does nothing.
"""

from __future__ import annotations

import libcst as cst

from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.sizes import code

_READS = frozenset({"os.getenv", "os.environ.get", "os.environ.__getitem__", "os.getenvb"})


class EnvironmentRead(Rule):
    meta = RuleMeta(
        code="EXP214",
        name="environment-read",
        summary="os.environ / os.getenv read in code reachable from forward",
        why=(
            "The environment is Python state outside the graph: export reads it once and keeps the value as a constant."
        ),
        instead="read the setting once in __init__ (or pass it as an argument) so the exported value is explicit",
        cases=("environment_read_in_forward",),
        specializes="reads the variable once while tracing and bakes its value into the program",
        fix=NoAutofix(
            "where the setting should come from instead (__init__, an argument) is a design choice"
        ),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if ctx.qualify(node.func) in _READS:
            self.report(ctx, node, f"`{code(node.func)}()` reads the environment in traced code", behaviour)

    def visit_Subscript(self, node: cst.Subscript, ctx, behaviour: Behaviour) -> None:
        if ctx.qualify(node.value) == "os.environ":
            self.report(ctx, node, f"`{code(node)}` reads the environment in traced code", behaviour)

    def visit_Comparison(self, node: cst.Comparison, ctx, behaviour: Behaviour) -> None:
        for target in node.comparisons:
            if isinstance(target.operator, (cst.In, cst.NotIn)) and ctx.qualify(target.comparator) == "os.environ":
                self.report(ctx, node, f"`{code(node)}` reads the environment in traced code", behaviour)
