"""EXP220: an autocast region (``with torch.autocast(...)``) in code reachable from forward, under strict export.

``with torch.autocast("cpu", dtype=torch.bfloat16): y = self.fc(x)``: strict
export succeeds, but the program it returns raises when called ("Tensor dtype
mismatch! Expected: Float, Got: c10::BFloat16"). Non-strict export records
the autocast region and agrees with eager, and ``autocast(enabled=False)``
regions (and ``@autocast`` decorated helpers) export in both modes (measured
on torch 2.13), so those are not reported.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta

_AUTOCASTS = frozenset({"torch.autocast", "torch.amp.autocast"})


def _disabled(call: cst.Call) -> bool:
    return any(
        arg.keyword is not None and arg.keyword.value == "enabled"
        and isinstance(arg.value, cst.Name) and arg.value.value == "False"
        for arg in call.args
    )


class AutocastInForward(Rule):
    meta = RuleMeta(
        code="EXP220",
        name="autocast-in-forward",
        summary="`with torch.autocast(...)` (enabled) in code reachable from forward, for strict export",
        why="Strict export captures the autocast region as a higher-order op whose dtypes the exported program "
            "then checks against the float inputs.",
        instead="export in non-strict mode (the default since 2.8), or cast explicitly in forward "
                "(self.fc(x.bfloat16()).float()) instead of autocasting",
        cases=("autocast_in_forward",),
        specializes='succeeds, but the program raises when called ("Tensor dtype mismatch! '
                    'Expected: Float, Got: c10::BFloat16")',
        fix=NoAutofix("where the cast belongs (the inputs, the weights, or nowhere) is the author's decision"),
    )

    def visit_WithItem(self, node: cst.WithItem, ctx, behaviour: Behaviour) -> None:
        item = node.item
        if isinstance(item, cst.Call) and ctx.qualify(item.func) in _AUTOCASTS and not _disabled(item):
            self.report(ctx, item, f"`{code(item.func)}(...)` region in traced code", behaviour)
