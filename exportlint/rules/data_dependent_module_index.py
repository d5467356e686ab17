"""EXP108: a ModuleList, Sequential or list literal indexed with a tensor or a value read from one.

``self.experts[router_logits.argmax()](x)`` or, in a loop over
``top_k.tolist()``, ``self.experts[idx]``: Python picks a submodule by
number, so export needs the index as a Python int, and it is read from the
data ("Could not extract specialized integer from data-dependent
expression"). Run every candidate and select the result with a tensor
index (``torch.stack([...])[idx]``, ``torch.gather``), or ``torch.cond``.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.data_dependent import code, is_loose_parameter


class DataDependentModuleIndex(Rule):
    meta = RuleMeta(
        code="EXP108",
        name="data-dependent-module-index",
        summary=(
            "a submodule container (ModuleList, Sequential) or list literal indexed with a tensor or a value read from "
            "tensor data"
        ),
        why=(
            "indexing a Python container needs a Python int; export has only an unbacked symbol for a value "
            "read from the data, so it cannot pick the submodule."
        ),
        instead=(
            "run every candidate and select with a tensor op (torch.stack(outputs).index_select(0, idx.reshape(1)), "
            "torch.gather), or use torch.cond"
        ),
        cases=("module_list_index",),
        fix=NoAutofix(
            "running every candidate module and selecting by a tensor index changes the computation; it "
            "needs a human"
        ),
    )

    def visit_Subscript(self, node: cst.Subscript, ctx, behaviour: Behaviour) -> None:
        container = node.value
        if not (ctx.kind(container) is Kind.MODULE or isinstance(container, (cst.List, cst.Tuple))):
            return
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        index = node.slice[0].slice.value
        if ctx.kind(index) in (Kind.TENSOR, Kind.DATA) and not is_loose_parameter(index, ctx):
            self.report(
                ctx, node, f"`{code(container)}` indexed with `{code(index)}`, read from tensor data", behaviour
            )
