"""EXP219: a tensor used as a Python sequence: ``for row in x``, ``[f(r) for r in x]``, ``len(x)``.

Iterating a tensor unrolls one step per row of its first dim: export needs
that dim as a Python int and takes the example's. With ``Dim.AUTO`` the
program accepts only that length; with a named ``Dim`` export fails
("Constraints violated"), in both modes. ``len(x)`` does the same in
non-strict export; strict export keeps it symbolic in arithmetic and fails
only where Python needs a real length (``[1.0] * len(x)``, reported). A
static first dim (heads, a fixed stack) is fine; the linter
cannot see which dims are dynamic, so it warns. What a submodule returned is
left alone: it is as often a tuple or a ModelOutput (diffusers' Flux blocks
check ``len(attention_outputs) == 2``, and the model exports).
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.data_dependent import code, is_loose_parameter
from exportlint.analysis.kinds import DataDependentLengths, Kind
from exportlint.analysis.scoped import ScopedFacts
from exportlint.fix import NoAutofix
from exportlint.rule import NON_STRICT, Behaviour, Rule, RuleMeta


# Calls that return a tuple of tensors: iterating one walks the pieces (not measured as a risk).
_TUPLES = frozenset("split chunk unbind tensor_split hsplit vsplit dsplit split_with_sizes topk sort".split())


def _returns_tuple(node: cst.BaseExpression) -> bool:
    """`t.split(2)`, `torch.split(x, 2)`, `t.chunk(4)`, ...: a tuple of tensors."""
    if not isinstance(node, cst.Call):
        return False
    func = node.func
    return isinstance(func, cst.Attribute) and func.attr.value in _TUPLES


def _module_call(node: cst.BaseExpression, ctx) -> bool:
    """A call of a submodule (`self.attn(...)`): what its forward returns."""
    return isinstance(node, cst.Call) and ctx.kind(node.func) is Kind.MODULE


def _is_helper_parameter(node: cst.BaseExpression, ctx) -> bool:
    """A bare parameter of a helper: it takes whatever its caller passes, often a tuple of tensors."""
    if not isinstance(node, cst.Name) or ctx.function is None or ctx.function.is_forward:
        return False
    params = ctx.function.node.params
    return any(p.name.value == node.value for p in (*params.posonly_params, *params.params, *params.kwonly_params))


class TensorAsSequence(Rule):
    meta = RuleMeta(
        code="EXP219",
        name="tensor-as-sequence",
        summary="a tensor iterated in a for loop or comprehension, or passed to len() (non-strict)",
        why=(
            "Python iteration needs the first dim as an int: export unrolls the loop for the example's length "
            "and guards the program with it."
        ),
        instead=(
            "vectorise over the first dim (batched ops, torch.vmap), or use x.shape[0] in arithmetic; if the dim "
            "is really fixed, declare it static"
        ),
        cases=("tensor_as_sequence",),
        specializes='bakes the first dim in: with Dim.AUTO the program accepts only the example\'s length, with a '
                    'named Dim export fails ("Constraints violated")',
        fix=NoAutofix("iteration must become a vectorised op or a loop over a static bound: by hand"),
    )

    def __init__(self) -> None:
        self._lengths = DataDependentLengths()
        self._tuples: ScopedFacts[bool] = ScopedFacts()  # names bound to tuples of tensors
        # Names bound to what a submodule returned: taken for a tensor, but as often a tuple or a
        # ModelOutput (`outputs = self.attn(...)`, then `if len(outputs) == 2: a, b = outputs`).
        self._module_outputs: ScopedFacts[bool] = ScopedFacts()

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        module_output = _module_call(node.value, ctx)
        for target in node.targets:
            self._lengths.bind(target.target, node.value, ctx.classifier, ctx.scope)
            if isinstance(target.target, cst.Name):
                self._tuples.record(ctx.scope, target.target.value, True if _returns_tuple(node.value) else None)
                self._module_outputs.record(ctx.scope, target.target.value, True if module_output else None)

    def _is_tuple(self, node: cst.BaseExpression, ctx) -> bool:
        if _returns_tuple(node):
            return True
        if not isinstance(node, cst.Name):
            return False
        return node.value in self._tuples.here(ctx.scope)  # bound in this function

    def _is_module_output(self, node: cst.BaseExpression, ctx) -> bool:
        """`self.encoder(x)` itself, or a name this function bound to one."""
        if _module_call(node, ctx):
            return True
        return isinstance(node, cst.Name) and node.value in self._module_outputs.here(ctx.scope)

    def _iterated(self, iterable: cst.BaseExpression, ctx, behaviour: Behaviour) -> None:
        if ctx.kind(iterable) is not Kind.TENSOR or _is_helper_parameter(iterable, ctx):
            return
        if self._is_tuple(iterable, ctx) or self._is_module_output(iterable, ctx) or is_loose_parameter(iterable, ctx):
            return  # an unannotated parameter iterated is as often a tuple of tensors (`for t in pair`)
        if self._lengths.has_data_dependent_length(iterable, ctx.classifier, ctx.scope):
            return  # EXP106's: the length is read from the data
        self.report(ctx, iterable, f"loop over tensor `{code(iterable)}` unrolls its first dim", behaviour)

    def visit_For(self, node: cst.For, ctx, behaviour: Behaviour) -> None:
        self._iterated(node.iter, ctx, behaviour)

    def visit_CompFor(self, node: cst.CompFor, ctx, behaviour: Behaviour) -> None:
        self._iterated(node.iter, ctx, behaviour)

    def _tensor_length(self, node: cst.BaseExpression, ctx) -> bool:
        """`len(t)` of a tensor whose length is not read from its data (that is EXP107's)."""
        if not isinstance(node, cst.Call) or ctx.builtin(node.func) != "len" or len(node.args) != 1:
            return False
        arg = node.args[0].value
        if node.args[0].star or ctx.kind(arg) is not Kind.TENSOR or _is_helper_parameter(arg, ctx):
            return False
        if self._is_module_output(arg, ctx):
            return False
        return not self._lengths.has_data_dependent_length(arg, ctx.classifier, ctx.scope)

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        # Non-strict export specialises the dim in len() itself; strict keeps a symbol (see below).
        if ctx.target.mode == NON_STRICT and self._tensor_length(node, ctx):
            self.report(ctx, node, f"`len()` of tensor `{code(node.args[0].value)}` reads its first dim as an int",
                        behaviour)

    def visit_BinaryOperation(self, node: cst.BinaryOperation, ctx, behaviour: Behaviour) -> None:
        """`[v] * len(x)`: a Python list needs a real length, in strict export too."""
        if ctx.target.mode == NON_STRICT or not isinstance(node.operator, cst.Multiply):
            return
        for seq, count in ((node.left, node.right), (node.right, node.left)):
            if isinstance(seq, (cst.List, cst.Tuple)) and self._tensor_length(count, ctx):
                self.report(ctx, count, f"`len()` of tensor `{code(count.args[0].value)}` as a list length",
                            behaviour)
                return
