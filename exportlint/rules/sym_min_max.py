"""EXP102: torch.sym_min / torch.sym_max in traced code.

Old strict export (TorchDynamo) did not know these functions: they return a
Python int, not a tensor, and tracing failed with "torch.* op returned
non-Tensor int". They export in recent releases; on older ones use the
builtin ``min``/``max`` on sizes, which export handles symbolically.
"""

from __future__ import annotations

import libcst as cst

from exportlint.fix import SAFE, Autofix, Form
from exportlint.fixes.rewrite import Replace, Rewrite
from exportlint.rule import Behaviour, Rule, RuleMeta

_NAMES = {"torch.sym_min", "torch.sym_max"}


class SymMinMax(Rule):
    meta = RuleMeta(
        code="EXP102",
        name="sym-min-max",
        summary="a call of torch.sym_min or torch.sym_max",
        why="strict export of older releases cannot trace a torch.* function that returns a Python int.",
        instead="use the builtin min()/max() on the sizes, or upgrade torch",
        cases=("unsupported_operator", "torch_sym_min"),
        fix=Autofix(
            forms=(
                Form("torch.sym_min(a, b) -> min(a, b), torch.sym_max(a, b) -> max(a, b)", SAFE,
                     "on ints and SymInts the builtins return the same value"),
            ),
            otherwise="the builtin min/max is shadowed by a local name here",
        ),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        qualified = ctx.qualify(node.func)
        if qualified in _NAMES:
            builtin = qualified[len("torch.sym_"):]
            fix = None
            if ctx.builtin(cst.Name(builtin)) == builtin:
                fix = Rewrite(SAFE, f"use the builtin {builtin}()", (Replace(node.func, builtin),))
            self.report(ctx, node, f"`{qualified}()` call", behaviour, fix)
