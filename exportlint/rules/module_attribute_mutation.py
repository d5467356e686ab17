"""EXP201: assigning a module attribute inside traced code.

``self.cache = ...`` in ``forward`` is a side effect on the module object.
Export cannot put it in the graph: older releases refuse it, newer ones warn,
drop the assignment from the program and restore the eager module. Keep state
in registered buffers updated in place, or return it.

The case measured tensor state (a list holding a tensor) that the module keeps
for its user. A value that is plainly not a tensor (None, a literal, a constant
or a size) and that the class's own code reads back is per-call scratch, not
state: swin's ``self.shift_size = 0``, big_bird's ``self.attention_type =
value``; torch does not warn for it and the program traces the value it reads
(the 91 transformers architectures that export, bench/real_models.json). Such a
value never read by the class (``self.last_keep = keep``) is still reported:
the exported program never updates it. Nor is ``self.w = nn.Buffer(...)``: strict export fails
there (EXP139); non-strict keeps the module's buffer and does not warn (m2m_100's
regrown position table, measured).
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.analysis.under_export import false_under_export, true_under_export
from exportlint.fix import NoAutofix
from exportlint.analysis.models import self_attribute
from exportlint.analysis.walk import walk
from exportlint.analysis.module_state import created_module, creates_parameter
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.rules.buffer_object_reassigned import rebound_buffer_object
from exportlint.rules.module_created_in_forward import ModuleCreatedInForward
from exportlint.rules.module_to_in_forward import ModuleToInForward, module_move
from exportlint.rules.parameter_created_in_forward import ParameterCreatedInForward


def _under_export(value: cst.BaseExpression, ctx) -> cst.BaseExpression:
    """The side of `a if torch.jit.is_tracing() else b` that export runs."""
    if isinstance(value, cst.IfExp):
        if false_under_export(value.test, ctx):
            return value.orelse
        if true_under_export(value.test, ctx):
            return value.body
    return value


_NUMBERS = frozenset({"int", "float", "bool"})


def _min_of_numbers(value: cst.BaseExpression, ctx) -> bool:
    """`min(resolution)` of a parameter annotated as a tuple or list of ints (swin's window size)."""
    if not (isinstance(value, cst.Call) and ctx.builtin(value.func) in ("min", "max") and len(value.args) == 1):
        return False
    arg = value.args[0].value
    if not isinstance(arg, cst.Name) or ctx.function is None:
        return False
    params = ctx.function.node.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == arg.value and param.annotation is not None:
            annotation = param.annotation.annotation
            if isinstance(annotation, cst.Subscript) and isinstance(annotation.value, cst.Name) and (
                annotation.value.value in ("tuple", "list", "Tuple", "List")
            ):
                items = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
                return bool(items) and all(
                    (isinstance(i, cst.Name) and i.value in _NUMBERS) or isinstance(i, cst.Ellipsis) for i in items
                )
    return False


class _AttributeReads:
    """``self.x`` reads of a class, gathered with the read-only walk (LibCST's ``children``
    rebuilds lists on every access: a fifth of a cold run when this scan used it)."""

    def __init__(self) -> None:
        self.targets: set = set()
        self.seen: list = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        node_type = type(node)
        if node_type is cst.Assign:
            self.targets.update(id(t.target) for t in node.targets)
        elif node_type is cst.AnnAssign:  # `self.x += 1` reads x: AugAssign targets stay reads
            self.targets.add(id(node.target))
        elif node_type is cst.Attribute:
            attr = self_attribute(node)
            if attr is not None:
                self.seen.append((node, attr))
        return True

    def on_leave(self, node: cst.CSTNode) -> None:
        pass

    def before_loop_body(self, node: cst.For) -> None:
        pass


def _self_attributes_read(class_node: cst.ClassDef) -> frozenset:
    """Names ``x`` of every ``self.x`` the class reads (assignment targets are not reads)."""
    reads = _AttributeReads()
    walk(class_node, reads)
    return frozenset(attr for node, attr in reads.seen if id(node) not in reads.targets)


class ModuleAttributeMutation(Rule):
    meta = RuleMeta(
        code="EXP201",
        name="module-attribute-mutation",
        summary="assignment to an attribute of self (the module) in code reachable from forward",
        why=(
            "The exported program is a pure function of its inputs, parameters and buffers; rebinding a module "
            "attribute is a Python side effect that the graph cannot hold."
        ),
        instead=(
            "keep the value in a local or return it; for state, register a buffer in __init__ and update it in place "
            "(self.buf.copy_(...))"
        ),
        cases=("model_attr_mutation",),
        specializes='warns, leaves the assignment out of the program and restores the module',
        fix=NoAutofix(
            "the state must move into a buffer updated in place, or be returned: a design change"
        ),
    )

    def _check(self, target: cst.BaseExpression, ctx, behaviour: Behaviour) -> None:
        attr = self_attribute(target)
        if attr is not None and not rebound_buffer_object(target, ctx):  # an nn.Buffer: EXP139's (measured)
            self.report(ctx, target, f"assignment to module attribute `self.{attr}` in traced code", behaviour)

    def __init__(self) -> None:
        self._reads: dict = {}  # id(class node) -> names of self attributes its code reads

    def _scratch(self, targets, value: cst.BaseExpression, ctx) -> bool:
        """Not state: a new nn.Buffer (EXP139's in strict; non-strict keeps the module's buffer, measured),
        or a plain non-tensor value the class's own code reads back."""
        if isinstance(value, cst.Call) and ctx.qualify(value.func) == "torch.nn.Buffer":
            return True
        owner = ctx.function.owner if ctx.function is not None else None
        if owner is None:
            return False
        runs = _under_export(value, ctx)  # literals, None, True and False are CONST
        if ctx.kind(runs) not in (Kind.CONST, Kind.SIZE, Kind.SHAPE) and not _min_of_numbers(runs, ctx):
            return False
        reads = self._reads.get(id(owner.node))
        if reads is None:
            reads = self._reads[id(owner.node)] = _self_attributes_read(owner.node)
        return all(self_attribute(t) in reads for t in targets)

    def visit_Assign(self, node: cst.Assign, ctx, behaviour: Behaviour) -> None:
        targets = [t.target for t in node.targets]
        if all(self_attribute(t) is None for t in targets):
            return  # `x = ...`: _check reports self attributes only, so the tests below could change nothing
        if self._scratch(targets, node.value, ctx):
            return
        if module_move(node.value, ctx) is not None and ModuleToInForward.meta.behaviour_for(ctx.target) is not None:
            return  # self.sub = self.sub.to(...): EXP112 reports the failing call
        if self._reported_as_new_state(node.value, ctx):
            return  # self.head = nn.Linear(...): EXP123 (or EXP122) reports what goes wrong
        for target in node.targets:
            self._check(target.target, ctx, behaviour)

    @staticmethod
    def _reported_as_new_state(value: cst.BaseExpression, ctx) -> bool:
        if not isinstance(value, cst.Call):
            return False
        if created_module(value, ctx) is not None:
            return ModuleCreatedInForward.meta.behaviour_for(ctx.target) is not None
        if creates_parameter(value, ctx):
            return ParameterCreatedInForward.meta.behaviour_for(ctx.target) is not None
        return False

    def visit_AugAssign(self, node: cst.AugAssign, ctx, behaviour: Behaviour) -> None:
        self._check(node.target, ctx, behaviour)

    def visit_AnnAssign(self, node: cst.AnnAssign, ctx, behaviour: Behaviour) -> None:
        if node.value is not None and not self._scratch([node.target], node.value, ctx):
            self._check(node.target, ctx, behaviour)
