"""EXP116: a Python list or dict indexed with a tensor or a value read from one.

``self.scales[level.item()]`` or ``self.bias[cls.item()]`` asks Python for the
element at a number only the data knows. export has an unbacked symbol, not
an int: strict export fails (UserError, "Could not guard on data-dependent
expression"), non-strict with GuardOnDataDependentSymNode (a dict: TypeError,
unhashable symbol). Keep the table a tensor (a buffer) and index it with the
tensor: ``self.scales_t[level]``.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.containers import TracksContainers
from exportlint.analysis.data_dependent import code, is_loose_parameter
from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


class ContainerIndexedByData(TracksContainers, Rule):
    meta = RuleMeta(
        code="EXP116",
        name="container-indexed-by-data",
        summary="a Python list, tuple or dict (not a literal) indexed with a tensor or a value read from tensor data",
        why=(
            "Indexing a Python container needs a Python int or key at trace time; a value read from the data is "
            "an unbacked symbol export cannot turn into one."
        ),
        instead=(
            "keep the table a tensor (register_buffer) and index it with the tensor, or select with torch.where / "
            "torch.gather"
        ),
        cases=("container_indexed_by_data",),
        fix=NoAutofix("the Python container must become a tensor indexed with torch ops: a design change"),
    )

    def visit_Subscript(self, node: cst.Subscript, ctx, behaviour: Behaviour) -> None:
        container = node.value
        if isinstance(container, (cst.List, cst.Tuple)):
            return  # EXP108's
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        if not self._is_container(container, ctx):
            return
        index = node.slice[0].slice.value
        kind = ctx.kind(index)
        if kind is Kind.DATA or (kind is Kind.TENSOR and not is_loose_parameter(index, ctx)):
            what = "a tensor" if kind is Kind.TENSOR else "a value read from tensor data"
            self.report(ctx, node, f"Python container `{code(container)}` indexed with {what}, `{code(index)}`",
                        behaviour)
