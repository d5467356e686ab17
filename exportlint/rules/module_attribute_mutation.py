"""EXP201: assigning a module attribute inside traced code.

``self.cache = ...`` in ``forward`` is a side effect on the module object.
Export cannot put it in the graph: older releases refuse it, newer ones warn,
drop the assignment from the program and restore the eager module. Keep state
in registered buffers updated in place, or return it.

The case measured tensor state (a list holding a tensor) that the module keeps
for its user. A value that is plainly not a tensor (None, a literal, a constant
or a size) and that the class's own code reads back is per-call scratch, not
state: swin's ``self.shift_size = 0``, big_bird's ``self.attention_type =
value``, and funnel's ``self.pooling_mult *= 2`` on an attribute it only ever
sets to numbers; torch does not warn for it and the program traces the value it reads
(the 91 transformers architectures that export, bench/real_models.json). Such a
value never read by the class (``self.last_keep = keep``) is still reported:
the exported program never updates it. Nor is an attribute the class only ever
sets to None or to itself-when-not-None (bridgetower's ``self.attn_mask = (...
if self.attn_mask is not None else None)``): it is None on every call (measured:
runs in all three exports). Nor is a memo: an attribute the same function
returns from an ``if`` that tests it (wav2vec2-conformer's ``if length ==
self.cached_length and self.cached_table is not None: return
self.cached_table``): export leaves the stores out, so the program computes
the value on every call, which is what eager computes for a new input (case
near_miss_memoised_attribute). Both exclusions hold where that case exports:
strict export before torch 2.10 refuses every attribute store ("Mutating module
attribute cached_length during export"), and there both are reported. Nor is
``self.w = nn.Buffer(...)``: strict export
fails there (EXP139); non-strict keeps the module's buffer and does not warn
(m2m_100's regrown position table, measured).
"""

from __future__ import annotations

import functools

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.cases._case import EXPORTS
from exportlint.claims import load_case
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
from exportlint.analysis.literals import is_none


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
    """`min(resolution)` of a parameter annotated as a tuple or list of ints (swin's window size),
    or unannotated and given no tensor by its callers (donut's copy of it: the forward that calls it
    passes its own `tuple[int, int]` parameter, which the analysis knows no kind of)."""
    if not (isinstance(value, cst.Call) and ctx.builtin(value.func) in ("min", "max") and len(value.args) == 1):
        return False
    arg = value.args[0].value
    if not isinstance(arg, cst.Name) or ctx.function is None:
        return False
    params = ctx.function.node.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value != arg.value:
            continue
        if param.annotation is None:
            return ctx.kind(arg) in (Kind.UNKNOWN, Kind.CONST, Kind.SHAPE)
        annotation = param.annotation.annotation
        if isinstance(annotation, cst.Subscript) and isinstance(annotation.value, cst.Name) and (
            annotation.value.value in ("tuple", "list", "Tuple", "List")
        ):
            items = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
            return bool(items) and all(
                (isinstance(i, cst.Name) and i.value in _NUMBERS) or isinstance(i, cst.Ellipsis) for i in items
            )
    return False


def _keeps_none(attr: str, value: cst.BaseExpression) -> bool:
    """`self.a = f(self.a) if self.a is not None else None` (or None itself): None stays None."""
    if is_none(value):
        return True
    if not (isinstance(value, cst.IfExp) and isinstance(value.test, cst.Comparison)):
        return False
    test = value.test
    if len(test.comparisons) != 1 or self_attribute(test.left) != attr or not is_none(test.comparisons[0].comparator):
        return False
    operator = test.comparisons[0].operator
    if isinstance(operator, cst.IsNot):
        return is_none(value.orelse)
    return isinstance(operator, cst.Is) and is_none(value.body)


class _AttributeUse:
    """``self.x`` reads of a class and the values it assigns to each, gathered with the read-only
    walk (LibCST's ``children`` rebuilds lists on every access: a fifth of a cold run when this
    scan used it)."""

    def __init__(self) -> None:
        self.targets: set = set()
        self.seen: list = []
        self.assigned: dict = {}  # x -> values assigned to self.x (None for an augmented assignment)

    def on_visit(self, node: cst.CSTNode) -> bool:
        node_type = type(node)
        if node_type is cst.Assign:
            for target in node.targets:
                self._assigned(target.target, node.value)
        elif node_type is cst.AnnAssign:  # `self.x += 1` reads x: AugAssign targets stay reads
            self._assigned(node.target, node.value)
        elif node_type is cst.AugAssign:
            attr = self_attribute(node.target)
            if attr is not None:
                self.assigned.setdefault(attr, []).append(None)
        elif node_type is cst.Attribute:
            attr = self_attribute(node)
            if attr is not None:
                self.seen.append((node, attr))
        return True

    def _assigned(self, target: cst.BaseExpression, value) -> None:
        self.targets.add(id(target))
        attr = self_attribute(target)
        if attr is not None:
            self.assigned.setdefault(attr, []).append(value)

    def on_leave(self, node: cst.CSTNode) -> None:
        pass

    def before_loop_body(self, node: cst.For) -> None:
        pass


class _ClassAttributes:
    """What a class's own code does with its ``self.x`` attributes."""

    def __init__(self, class_node: cst.ClassDef) -> None:
        use = _AttributeUse()
        walk(class_node, use)
        # names of every self.x the class reads (assignment targets are not reads)
        self.read = frozenset(attr for node, attr in use.seen if id(node) not in use.targets)
        # attributes the class only ever sets to None, or to themselves when not None: always None
        # unless code outside the class sets them (bridgetower's attn_mask)
        self.always_none = frozenset(
            attr for attr, values in use.assigned.items()
            if all(v is not None and _keeps_none(attr, v) for v in values)
        )
        # attributes only ever set to literals (None, numbers, booleans) or augmented: Python numbers
        # (funnel's `self.pooling_mult = 1`, then `self.pooling_mult *= 2`)
        self.numbers = frozenset(
            attr for attr, values in use.assigned.items() if all(v is None or _literal(v) for v in values)
        )


_MEMO_CASE = "near_miss_memoised_attribute"


@functools.lru_cache(maxsize=None)
def _plain_state_exports(target) -> bool:
    """Whether export on the target keeps going past stores of scratch values and memos: the
    near-miss case measured on that release and mode (strict export before 2.10 refuses them:
    "Mutating module attribute ... during export")."""
    outcome = load_case(_MEMO_CASE).form_outcome(target.torch, target.mode, "bad")
    return outcome is not None and outcome.result == EXPORTS


def _literal(value: cst.BaseExpression) -> bool:
    return isinstance(value, (cst.Integer, cst.Float)) or (
        isinstance(value, cst.Name) and value.value in ("None", "True", "False"))


def _memoised(function: cst.FunctionDef) -> frozenset:
    """Attributes the function returns as they are, from the body of an ``if`` whose test reads them."""
    memos = set()
    for node in _ifs(function.body):
        use = _AttributeUse()
        walk(node.test, use)
        tested = {attr for _, attr in use.seen}
        for statement in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Return) and small.value is not None:
                        attr = self_attribute(small.value)
                        if attr is not None and attr in tested:
                            memos.add(attr)
    return frozenset(memos)


def _ifs(block: cst.BaseSuite):
    """The function's own top-level `if` statements (the memo test comes first, outside loops)."""
    for statement in getattr(block, "body", ()):
        if isinstance(statement, cst.If):
            yield statement


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
        self._classes: dict = {}  # id(class node) -> what its code does with its self attributes
        self._memos: dict = {}  # id(function node) -> the attributes it memoises

    def _scratch(self, targets, value: cst.BaseExpression, ctx) -> bool:
        """Not state: a new nn.Buffer (EXP139's in strict; non-strict keeps the module's buffer, measured),
        or a plain non-tensor value the class's own code reads back."""
        if isinstance(value, cst.Call) and ctx.qualify(value.func) == "torch.nn.Buffer":
            return True
        owner = ctx.function.owner if ctx.function is not None else None
        if owner is None:
            return False
        if self._stays_none(targets, owner):
            return True
        if not _plain_state_exports(ctx.target):
            return False  # this release's export refuses every attribute store (near_miss_memoised_attribute)
        if self._memo(targets, ctx):
            return True
        runs = _under_export(value, ctx)  # literals, None, True and False are CONST
        if ctx.kind(runs) not in (Kind.CONST, Kind.SIZE, Kind.SHAPE) and not _min_of_numbers(runs, ctx):
            return False
        return all(self_attribute(t) in self._attributes(owner.node).read for t in targets)

    def _attributes(self, class_node: cst.ClassDef) -> _ClassAttributes:
        found = self._classes.get(id(class_node))
        if found is None:
            found = self._classes[id(class_node)] = _ClassAttributes(class_node)
        return found

    def _memo(self, targets, ctx) -> bool:
        """Every target is an attribute the function returns from an `if` that tests it."""
        function = ctx.function.node
        memos = self._memos.get(id(function))
        if memos is None:
            memos = self._memos[id(function)] = _memoised(function)
        return all(self_attribute(t) in memos for t in targets)

    def _stays_none(self, targets, owner) -> bool:
        """Every target is an attribute the class keeps None: the assignment changes nothing."""
        none = self._attributes(owner.node).always_none
        return all(self_attribute(t) in none for t in targets)

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
        if self._augmented_number(node, ctx):
            return
        self._check(node.target, ctx, behaviour)

    def _augmented_number(self, node: cst.AugAssign, ctx) -> bool:
        """`self.n *= 2` on an attribute the class only sets to numbers and reads back: per-call
        scratch, as `self.n = 1` is (where the release's export goes past such stores)."""
        owner = ctx.function.owner if ctx.function is not None else None
        attr = self_attribute(node.target)
        if owner is None or attr is None or not _plain_state_exports(ctx.target):
            return False
        if ctx.kind(node.value) not in (Kind.CONST, Kind.SIZE):
            return False
        attributes = self._attributes(owner.node)
        return attr in attributes.numbers and attr in attributes.read

    def visit_AnnAssign(self, node: cst.AnnAssign, ctx, behaviour: Behaviour) -> None:
        if node.value is not None and not self._scratch([node.target], node.value, ctx):
            self._check(node.target, ctx, behaviour)
