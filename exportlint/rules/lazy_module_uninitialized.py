"""EXP124: a lazy module (``nn.LazyLinear``, ``nn.LazyConv2d``...) in a model's ``__init__``.

Lazy modules create their parameters on the first call. A model exported
straight after construction still holds uninitialised parameters: non-strict
export fails ("Attempted to use an uninitialized parameter"), while strict
export initialises them as it traces (measured on torch 2.13). One call before
export (a dry run), or loading a state dict, materialises them; the linter only
sees a dry run written in the same ``__init__``, so it reports the others with
that condition in the message.
"""

from __future__ import annotations

from typing import List, Set

import libcst as cst

from exportlint.analysis.walk import visit
from exportlint.analysis.sizes import code
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


class _LazyInit(cst.CSTVisitor):
    """Lazy-module constructors of an __init__, the attributes holding them, and its self-calls."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.lazy: List[cst.Call] = []
        self.holders: Set[str] = set()
        self.called: Set[str] = set()  # "" for self(...) / self.forward(...)
        self._target: List[str] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        self._target = [t.target.attr.value for t in node.targets
                        if isinstance(t.target, cst.Attribute) and _is_self(t.target.value)]

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self._target = []

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.ctx.qualify(node.func) or ""
        if qualified.startswith("torch.nn.Lazy"):
            self.lazy.append(node)
            self.holders.update(self._target)
        func = node.func
        is_method = isinstance(func, cst.Attribute) and _is_self(func.value)
        if _is_self(func) or (is_method and func.attr.value == "forward"):
            self.called.add("")
        elif is_method:
            self.called.add(func.attr.value)


def _is_self(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "self"


class LazyModuleUninitialized(Rule):
    meta = RuleMeta(
        code="EXP124",
        name="lazy-module-uninitialized",
        summary="a lazy module (torch.nn.Lazy*) created in the __init__ of a model class with no dry run there",
        why="A lazy module has no real parameters until its first call; export needs them to exist.",
        instead=(
            "give the layer its input size (nn.Linear(in_features, out)), or call the model once on an example "
            "input (or load its state dict) before export; `# noqa: EXP124` where that is done"
        ),
        cases=("lazy_module_uninitialized",),
        fails_when="when the model was never called before export",
        fix=NoAutofix("the dry run that sizes the lazy module belongs where the model is built"),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef, ctx, behaviour: Behaviour) -> None:
        traced = ctx.function
        if traced is None or node is not traced.node or not traced.is_forward:
            return
        if ctx.text and "Lazy" not in ctx.text:  # torch.nn.Lazy* is named in the file, however imported
            return
        init = traced.owner.methods.get("__init__")
        if init is None:
            return
        found = _LazyInit(ctx)
        visit(init.body, found)
        if not found.lazy or "" in found.called or found.holders & found.called:
            return  # a dry run in __init__ materialises the lazy modules
        for call in found.lazy:
            self.report(ctx, call, f"`{code(call.func)}` is uninitialised until the model's first call", behaviour)
