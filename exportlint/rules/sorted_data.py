"""EXP117: ``sorted()`` of values read from tensor data (``sorted(idx.tolist())``).

Sorting compares the values with each other in Python: each comparison asks
for the order of two unbacked symbols, which only the data knows. Strict
export stops (Unsupported), non-strict fails with GuardOnDataDependentSymNode.
``sum()`` and ``max()`` over ``.tolist()`` export (measured), so they are not
reported. Sort the tensor: ``torch.sort(idx).values`` (or ``idx.sort()``).
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.data_dependent import code
from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


class SortedData(Rule):
    meta = RuleMeta(
        code="EXP117",
        name="sorted-data",
        summary="sorted() of a list read from tensor data (.tolist())",
        why=(
            "Python's sort compares elements at trace time; values read from the data are unbacked symbols "
            "whose order export cannot decide."
        ),
        instead="sort the tensor itself: torch.sort(t).values, t.sort(), or t.argsort() to reorder",
        cases=("sorted_data",),
        fix=NoAutofix("sorting must stay in torch (torch.sort) through the code that uses it"),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if ctx.builtin(node.func) != "sorted" or not node.args or node.args[0].star or node.args[0].keyword:
            return
        arg = node.args[0].value
        if ctx.kind(arg) is Kind.DATA:
            self.report(ctx, node, f"`sorted()` of `{code(arg)}`, values read from tensor data", behaviour)
