"""EXP111: a NumPy float function (sqrt, log, exp, ...) of a tensor's size.

``x / np.sqrt(x.shape[-1])`` with a dynamic dim: in non-strict export the size
is a SymInt, NumPy wraps it in an object array and looks for a ``.sqrt()``
method on it, and export fails with "TypeError: loop of ufunc does not support
argument 0 of type SymInt". Strict export computes it on the example value and
bakes the size in. ``n ** 0.5`` and ``torch.sqrt`` of a tensor stay symbolic.
"""

from __future__ import annotations

import libcst as cst

from exportlint.fix import UNSAFE, Autofix, Form
from exportlint.fixes.rewrite import Replace, Rewrite, operand
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.sizes import code, holds_size, numpy_function

# Unary float ufuncs measured on a dynamic size on torch 2.13 (the catalog case and
# tests/recall f7_np_*_size). Others fail the same way in principle (NumPy looks for a
# method of that name on the SymInt) but were not measured, so they are not reported.
FLOAT_UFUNCS = frozenset("sqrt log log2 exp".split())


class NumpyMathOnSize(Rule):
    meta = RuleMeta(
        code="EXP111",
        name="numpy-math-on-size",
        summary="np.sqrt/np.log/np.exp (a NumPy float ufunc) applied to a size read from a tensor's shape",
        why=(
            "A dynamic size is a SymInt; NumPy cannot compute a float function of it, and strict export's "
            "NumPy support evaluates it on the example instead."
        ),
        instead="use Python arithmetic on the size (x.shape[1] ** 0.5 stays symbolic) or torch ops on tensors",
        cases=("numpy_sqrt_of_size",),
        specializes='bakes the traced size in: the program accepts only that size (a named Dim fails)',
        fails_when="with a dynamic dim",
        fix=Autofix(
            forms=(
                Form("np.sqrt(n) -> n ** 0.5", UNSAFE,
                     "the value becomes a Python float instead of numpy.float64, and pow may differ from sqrt in the "
                     "last bit"),
            ),
            otherwise="Python has no symbolic form of this function of an integer (only sqrt has one: n ** 0.5)",
        ),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        name = numpy_function(node.func, ctx)
        if name not in FLOAT_UFUNCS or not node.args or node.args[0].star:
            return
        arg = node.args[0].value
        if holds_size(arg, ctx):
            fix = None
            if name == "sqrt" and len(node.args) == 1 and node.args[0].keyword is None:
                fix = Rewrite(UNSAFE, "use ** 0.5", (Replace(node, f"{operand(arg)} ** 0.5", operator="power"),))
            self.report(ctx, node, f"`np.{name}()` of symbolic size `{code(arg)}`", behaviour, fix)
