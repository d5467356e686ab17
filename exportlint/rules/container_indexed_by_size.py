"""EXP218: a Python list, tuple or dict indexed with a size read from a tensor's shape.

``self.table[x.shape[1]]`` (a per-length lookup) needs the size as a Python
int: export takes the example's value and guards the program with it. With
``Dim.AUTO`` the program accepts only that size; with a named ``Dim`` export
fails ("Constraints violated"). A static dim is fine, but the linter cannot
tell which dims are dynamic, so it warns.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.containers import TracksContainers
from exportlint.analysis.kinds import Kind
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


class ContainerIndexedBySize(TracksContainers, Rule):
    meta = RuleMeta(
        code="EXP218",
        name="container-indexed-by-size",
        summary="a Python list, tuple or dict indexed with a size read from a tensor's shape",
        why=(
            "Indexing a Python container needs a Python int, so export specialises the size to the example's "
            "value and guards the program with it."
        ),
        instead=(
            "keep the table a tensor (register_buffer) and index it with a tensor (torch.tensor(n) or "
            "torch.arange), or declare the dim static"
        ),
        cases=("container_indexed_by_size",),
        specializes='bakes the example\'s size in: with Dim.AUTO the program accepts only that size, with a named Dim '
                    'export fails ("Constraints violated")',
        fix=NoAutofix("the lookup must become a tensor index or the dim static: the author's choice"),
    )

    def visit_Subscript(self, node: cst.Subscript, ctx, behaviour: Behaviour) -> None:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        index = node.slice[0].slice.value
        if ctx.kind(index) is not Kind.SIZE:
            return
        if self._is_container(node.value, ctx):
            self.report(ctx, node, f"Python container `{code(node.value)}` indexed with symbolic size "
                        f"`{code(index)}`", behaviour)
