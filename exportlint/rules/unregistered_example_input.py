"""EXP135: an example input that is an instance of a plain class export cannot flatten.

``export(m, (Batch(x),))`` where ``Batch`` is a plain class or a dataclass of
the same file, not registered as a pytree node: export fails before tracing
("not supported or pytree-flattenable" strict, "Unsupported input type"
non-strict). Register it (``torch.export.register_dataclass(Batch)``), or pass
its tensors as separate inputs.
"""

from __future__ import annotations

from typing import Set

import libcst as cst

from exportlint.analysis.imports import dotted_name
from exportlint.analysis.models import top_level_statements
from exportlint.analysis.site_inputs import input_name
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta

_REGISTER = ("register_dataclass", "register_pytree_node", "_register_pytree_node", "register_constant")


def registered_classes(module: cst.Module) -> Set[str]:
    """Names passed first to a pytree registration at module level of this file."""
    found: Set[str] = set()
    for stmt in top_level_statements(module.body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            call = small.value if isinstance(small, cst.Expr) else None
            if isinstance(call, cst.Call) and call.args and (dotted_name(call.func) or "").endswith(_REGISTER):
                name = dotted_name(call.args[0].value)
                if name:
                    found.add(name)
    return found


class UnregisteredExampleInput(Rule):
    meta = RuleMeta(
        code="EXP135",
        name="unregistered-example-input",
        summary="an example input that is an instance of a plain class (or dataclass) of this file not "
                "registered as a pytree node",
        why="export flattens its inputs with pytree; a class it does not know cannot be flattened.",
        instead="register the class (torch.export.register_dataclass, torch.utils._pytree.register_pytree_node) "
                "or pass its tensors as separate inputs",
        cases=("unregistered_example_input",),
        fix=NoAutofix("register the class as a pytree node (torch.utils._pytree) where it is defined"),
    )

    def check_site(self, site, ctx, behaviour: Behaviour) -> None:
        registered = None
        for spec in site.inputs:
            if not spec.example.startswith("class:"):
                continue
            name = spec.example[len("class:"):]
            info = ctx.model_map.classes.get(name)
            if info is None or info.is_module or any(b.keyword is None and dotted_name(b.value) != "object"
                                                     for b in info.node.bases):
                continue  # modules, NamedTuples and subclasses of other classes: not judged
            if registered is None:
                registered = registered_classes(ctx.model_map.module)
            if name in registered:
                continue
            what = f"example {input_name(site, spec, ctx)} is a `{name}`, not a registered pytree node"
            ctx.add_at(spec.line or site.line, site.column, self.meta,
                       f"{what}: {ctx.target.describe()} export {behaviour.effect}; {self.meta.instead} "
                       f"[{self.meta.cases[0]}]", behaviour.severity)
