"""EXP107: ``int()``, ``float()`` or ``bool()`` of a tensor or of ``.item()``; ``len()`` of ``nonzero()``/``x[mask]``.

Non-strict export runs forward on fake tensors: ``int(k)`` asks for a plain
Python number that only the data has, and fails with "Could not extract
specialized integer from data-dependent expression" (``len()`` of a tensor
whose length is read from its data likewise). Strict export traces these
through. Keep the value a tensor (``x * k``), keep ``.item()`` without the
cast, and read a length with ``t.shape[0]``.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.walk import visit
from exportlint.analysis.kinds import DataDependentLengths, Kind
from exportlint.fix import SAFE, UNSAFE, Autofix, Form
from exportlint.fixes.rewrite import Replace, Rewrite, code as source, operand
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.data_dependent import code, is_loose_parameter, tests_of

_CASTS = {"int", "float", "bool"}


class PythonNumberFromData(Rule):
    meta = RuleMeta(
        code="EXP107",
        name="python-number-from-data",
        summary=(
            "int(), float() or bool() of a tensor or of a value read from one; len() of a tensor whose length is read "
            "from its data"
        ),
        why=(
            "non-strict export traces forward with fake tensors: a Python int, float or bool of their data "
            "does not exist at trace time."
        ),
        instead=(
            "keep the value a tensor (x * k, k.to(x.dtype)) or use .item() without the cast; for a length use "
            "t.shape[0]"
        ),
        cases=("python_number_from_data",),
        fix=Autofix(
            forms=(
                Form("len(t) -> t.shape[0], t a tensor whose length is read from its data", SAFE,
                     "such a tensor has at least one dim, and its length is its first size"),
                Form("int(t), float(t), bool(t) -> t.item(); int(t.item()) (and float, bool) -> t.item()", UNSAFE,
                     "the Python type now follows the tensor's dtype: int() of a float no longer truncates, "
                     "float() of an int tensor gives an int"),
            ),
        ),
    )

    def __init__(self) -> None:
        self._lengths = DataDependentLengths()
        self._claimed: set = set()  # casts inside tests, loop counts, indices: other rules' findings

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        for target in node.targets:
            self._lengths.bind(target.target, node.value, ctx.classifier, ctx.scope)

    def _claim(self, node: cst.CSTNode) -> None:
        visit(node, _Claims(node, self._claimed))

    def _claim_test(self, node: cst.CSTNode, ctx, behaviour: Behaviour) -> None:
        self._claim(tests_of(node)[0])

    visit_If = visit_While = visit_IfExp = visit_CompIf = _claim_test

    def visit_For(self, node: cst.For, ctx, behaviour: Behaviour) -> None:
        self._claim(node.iter)

    def visit_CompFor(self, node: cst.CompFor, ctx, behaviour: Behaviour) -> None:
        self._claim(node.iter)

    def visit_Subscript(self, node: cst.Subscript, ctx, behaviour: Behaviour) -> None:
        if ctx.kind(node.value) is Kind.MODULE:
            for element in node.slice:
                self._claim(element)

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        if id(node) in self._claimed or len(node.args) != 1 or node.args[0].star or node.args[0].keyword:
            return
        name = ctx.builtin(node.func)
        arg = node.args[0].value
        if name in _CASTS:
            if ctx.kind(arg) in (Kind.TENSOR, Kind.DATA) and not is_loose_parameter(arg, ctx):
                tensor = ctx.kind(arg) is Kind.TENSOR
                what = "tensor" if tensor else "value read from tensor data"
                value = f"{operand(arg)}.item()" if tensor else source(arg)
                wrap = "" if tensor or operand(arg) == source(arg) else "binary"
                fix = Rewrite(UNSAFE, f"use {value} instead of {name}()", (Replace(node, value, wrap),))
                if tensor and _guessed(arg, ctx):
                    fix = None  # .item() on what may be a plain number would break the code
                self.report(ctx, node, f"`{name}()` of {what} `{code(arg)}`", behaviour, fix,
                            no_fix="part of the value is a parameter only guessed to be a tensor")
        elif name == "len" and self._lengths.has_data_dependent_length(arg, ctx.classifier, ctx.scope):
            fix = Rewrite(SAFE, "use .shape[0]", (Replace(node, f"{operand(arg)}.shape[0]"),))
            self.report(ctx, node, f"`len()` of `{code(arg)}`, whose length is read from tensor data", behaviour, fix)


class _Claims(cst.CSTVisitor):
    """Adds the calls under ``root`` to ``claimed``, not those in a lambda or def below it.

    On the read-only walk: LibCST's ``children`` rebuilds its list at every node
    (this scan was 7 of 288 profiled s on transformers/models)."""

    def __init__(self, root: cst.CSTNode, claimed: set) -> None:
        self.root = root
        self.claimed = claimed

    def visit_Call(self, node: cst.Call) -> None:
        self.claimed.add(id(node))

    def visit_Lambda(self, node: cst.CSTNode) -> bool:
        return node is self.root

    visit_FunctionDef = visit_Lambda


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = []

    def visit_Name(self, node: cst.Name) -> None:
        self.found.append(node)


def _guessed(arg: cst.BaseExpression, ctx) -> bool:
    """Whether ``arg`` uses a parameter taken for a tensor without evidence
    (``int(patch_height * self.patch_size)``, patch_height unannotated)."""
    names = _Names()
    visit(arg, names)
    return any(is_loose_parameter(name, ctx) for name in names.found)
