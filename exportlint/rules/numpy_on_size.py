"""EXP210: NumPy integer functions and casts applied to a tensor's size.

``np.int64(seq_len)``, ``np.lcm(n, chunk)``, ``np.gcd(...)`` or
``np.zeros((n, k))`` with ``n`` read from a dynamic dim: NumPy needs a real
integer, so export converts the size to its example value and guards on it.
With ``Dim.AUTO`` the program accepts only the traced size; with a named
``Dim`` export fails ("Constraints violated"). Python integer arithmetic on
sizes (``//``, ``%``) and torch ops stay symbolic.
"""

from __future__ import annotations

import libcst as cst

from exportlint.fix import UNSAFE, Autofix, Form
from exportlint.fixes.rewrite import Replace, Rewrite, code as source, operand
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.sizes import code, holds_size, numpy_function

_CASTS = frozenset("int8 int16 int32 int64 uint8 uint16 uint32 uint64 intp int_ longlong".split())
_INTEGER = frozenset("lcm gcd int8 int16 int32 int64 uint8 uint16 uint32 uint64 intp int_ longlong".split())
# Array constructors specialise a size in their shape in non-strict export;
# strict export turns them into torch factories with a symbolic shape.
_CONSTRUCTORS = frozenset("zeros ones empty full".split())


class NumpyOnSize(Rule):
    meta = RuleMeta(
        code="EXP210",
        name="numpy-on-size",
        summary="np.int64()/np.lcm()/np.gcd() of a tensor's size, or a NumPy array whose shape holds one",
        why=(
            "NumPy integers and array shapes are concrete: export replaces the symbolic size with its "
            "example value and guards the program on it."
        ),
        instead=(
            "do the arithmetic in Python on the size itself (n // k, n % k) and build arrays with torch "
            "(torch.zeros(n, k))"
        ),
        cases=("numpy_int_of_size",),
        specializes='bakes the traced size in: with Dim.AUTO the program accepts only that size, with a named Dim '
                    'export fails ("Constraints violated")',
        fix=Autofix(
            forms=(
                Form("np.int64(n) (any NumPy integer type) -> n", UNSAFE,
                     "the value becomes a Python int: no fixed-width overflow, and arithmetic with it gives Python "
                     "numbers instead of NumPy scalars"),
            ),
            otherwise="np.lcm/np.gcd and NumPy arrays have no symbolic equivalent to swap in mechanically",
        ),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        name = numpy_function(node.func, ctx)
        if name in _INTEGER:
            args = [a.value for a in node.args if not a.star and a.keyword is None]
        elif name in _CONSTRUCTORS and not ctx.target.strict:
            args = [a.value for a in node.args[:1] if not a.star and a.keyword is None]
            args += [a.value for a in node.args if a.keyword is not None and a.keyword.value == "shape"]
        else:
            return
        for arg in args:
            if holds_size(arg, ctx):
                fix = None
                if name in _CASTS and len(node.args) == 1 and node.args[0].keyword is None:
                    fix = Rewrite(UNSAFE, "drop the NumPy integer cast",
                                  (Replace(node, source(arg), "" if operand(arg) == source(arg) else "binary"),))
                self.report(ctx, node, f"`np.{name}()` of symbolic size `{code(arg)}`", behaviour, fix)
                return
