"""EXP106: a ``for`` loop whose trip count is read from tensor data.

``for expert_idx in (counts > 0).nonzero(): ...`` (switch_transformers) and
``for i in range(k.item())`` unroll a loop while tracing, so export needs the
number of iterations as a Python int; it is an unbacked symbol, and export
fails ("Could not extract specialized integer from data-dependent
expression"), with or without torch._check. Loop over a bound that is known
at trace time (all experts, a shape) and mask, or vectorise.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import DataDependentLengths, Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.data_dependent import code, is_loose_parameter

_WRAPPERS = {"enumerate", "zip", "reversed", "list", "tuple", "sorted"}


class DataDependentLoop(Rule):
    meta = RuleMeta(
        code="EXP106",
        name="data-dependent-loop",
        summary=(
            "a for loop or comprehension over range() of a value read from tensor data, or over "
            "nonzero()/unique()/x[mask] results; torch.split into as many pieces as such a list holds"
        ),
        why=(
            "export unrolls Python loops, so it needs the trip count as a Python int; a count read from the "
            "data is an unbacked symbol that no torch._check can turn into one."
        ),
        instead=(
            "loop over a bound known at trace time (every expert, a shape) and mask the rows with torch.where, or "
            "vectorise the loop body"
        ),
        cases=("nonzero_loop",),
        fix=NoAutofix(
            "the loop must be bounded by a trace-time size and masked, or vectorised, by hand"
        ),
    )

    def __init__(self) -> None:
        self._lengths = DataDependentLengths()

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        for target in node.targets:
            self._lengths.bind(target.target, node.value, ctx.classifier, ctx.scope)

    def _why(self, iterable: cst.BaseExpression, ctx):
        """What makes the trip count data-dependent, or None."""
        if self._lengths.has_data_dependent_length(iterable, ctx.classifier, ctx.scope):
            return f"loop over `{code(iterable)}`, whose length is read from tensor data"
        if isinstance(iterable, cst.Call):
            name = ctx.builtin(iterable.func)
            args = [a.value for a in iterable.args if a.keyword is None and not a.star]
            if name == "range":
                for arg in args:
                    if self._data_dependent_count(arg, ctx):
                        return f"loop over `range({code(arg)})`, a count read from tensor data"
            elif name in _WRAPPERS:
                for arg in args:
                    found = self._why(arg, ctx)
                    if found:
                        return found
        return None

    def _data_dependent_count(self, arg: cst.BaseExpression, ctx) -> bool:
        if ctx.kind(arg) is Kind.DATA and not is_loose_parameter(arg, ctx):
            return True
        # len(idx), idx.shape[0], idx.size(0) of a data-dependent-length tensor
        if isinstance(arg, cst.Call) and ctx.builtin(arg.func) == "len" and arg.args:
            return self._lengths.has_data_dependent_length(arg.args[0].value, ctx.classifier, ctx.scope)
        if isinstance(arg, cst.Subscript) and isinstance(arg.value, cst.Attribute) and arg.value.attr.value == "shape":
            return self._lengths.has_data_dependent_length(arg.value.value, ctx.classifier, ctx.scope)
        if (
            isinstance(arg, cst.Call)
            and isinstance(arg.func, cst.Attribute)
            and arg.func.attr.value == "size"
            and arg.args
        ):
            return self._lengths.has_data_dependent_length(arg.func.value, ctx.classifier, ctx.scope)
        return False

    def visit_For(self, node: cst.For, ctx, behaviour: Behaviour) -> None:
        found = self._why(node.iter, ctx)
        if found:
            self.report(ctx, node.iter, found, behaviour)

    def visit_CompFor(self, node: cst.CompFor, ctx, behaviour: Behaviour) -> None:
        found = self._why(node.iter, ctx)
        if found:
            self.report(ctx, node.iter, found, behaviour)

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        """`torch.split(x, counts.tolist())` with counts from unique(): as many pieces as the data says."""
        func = node.func
        if ctx.qualify(func) == "torch.split":
            sizes = node.args[1] if len(node.args) > 1 else None
        elif isinstance(func, cst.Attribute) and func.attr.value == "split" and ctx.kind(func.value) is Kind.TENSOR:
            sizes = node.args[0] if node.args else None
        else:
            return
        if sizes is None or sizes.star or sizes.keyword is not None and sizes.keyword.value != "split_size_or_sections":
            return
        if self._lengths.has_data_dependent_length(sizes.value, ctx.classifier, ctx.scope):
            self.report(ctx, node, f"split into `{code(sizes.value)}` pieces, a number read from tensor data",
                        behaviour)
