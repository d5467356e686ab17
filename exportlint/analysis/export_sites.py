"""The calls that export a model, read from one file: which class, which example
inputs, which mode, and which dims the user declared dynamic, and how.

Pure functions over a parsed module and its ImportTable; the results are the
plain frozen data of site_data.py (no LibCST), so a project index can pickle them,
cache them by file content and carry them to the file that defines the model.
Nothing here runs user code: specs are read where they are literal, bound to a
name in the same scope, or returned by a small helper of the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import libcst as cst

from exportlint.analysis.imports import ImportTable, dotted_name
from exportlint.analysis.literals import int_literal, is_none
from exportlint.analysis.site_data import (  # noqa: F401  (the data types, re-exported for the rules)
    AUTO, DYNAMIC, NAMED, STATIC, STATIC_DIM, UNKNOWN, UNKNOWN_DIM, DimSpec, ExportSite, InputSpec,
    may_hold_export_site,
)
from exportlint.tree_from_ast import source_code as _code

EXPORT_FUNCTIONS = frozenset(
    {
        "torch.export.export",
        "torch.export.export_for_training",
        "torch.export.draft_export",
        "torch.export._trace._export",
        "torch.onnx.export",
        "torch._dynamo.export",
    }
)
_DIM = frozenset({"torch.export.Dim", "torch.export.dynamic_shapes.Dim"})
_DIMS = frozenset({"torch.export.dims", "torch.export.dynamic_shapes.dims"})
_SHAPES_COLLECTION = frozenset({"torch.export.ShapesCollection", "torch.export.dynamic_shapes.ShapesCollection"})
_FACTORIES = frozenset("randn rand zeros ones empty full randint".split())
_CONSTRUCTORS = frozenset({"from_pretrained", "from_config", "_from_config"})
_MODEL_PASSTHROUGH = frozenset({"eval", "to", "cpu", "cuda", "float", "half", "bfloat16", "double", "train"})


# ----------------------------------------------------------------------------
# Entry point


def export_sites(module: cst.Module, imports: ImportTable) -> Tuple[ExportSite, ...]:
    """Every export call of the module (module level, functions, methods), in source order."""
    reader = _SiteReader(module, imports)
    return tuple(reader.run())


# ----------------------------------------------------------------------------
# Names in scope: flow-ordered, one environment per function (module names visible)


class _Env:
    def __init__(self, parent: Optional["_Env"] = None) -> None:
        self.parent = parent
        self.values: Dict[str, cst.BaseExpression] = {}
        self.collections: Dict[str, List[Tuple[cst.BaseExpression, cst.BaseExpression]]] = {}

    def lookup(self, name: str) -> Optional[cst.BaseExpression]:
        env: Optional[_Env] = self
        while env is not None:
            if name in env.values:
                return env.values[name]
            env = env.parent
        return None

    def collection(self, name: str) -> Optional[List[Tuple[cst.BaseExpression, cst.BaseExpression]]]:
        env: Optional[_Env] = self
        while env is not None:
            if name in env.collections:
                return env.collections[name]
            env = env.parent
        return None


@dataclass(frozen=True)
class _Wrapper:
    """A same-file function that passes its parameters straight on to export."""

    function: str
    params: Tuple[str, ...]  # the wrapper's positional parameter names
    roles: Tuple[Tuple[str, str], ...]  # export role ("model", "args", ...) -> wrapper parameter
    strict: Optional[bool] = None  # strict=True/False written in the wrapper itself


class _SiteReader:
    def __init__(self, module: cst.Module, imports: ImportTable) -> None:
        self.module = module
        self.imports = imports
        self._positions = None  # resolved on the first site: most files have none
        self.functions: Dict[str, cst.FunctionDef] = {}
        self.classes: Dict[str, cst.ClassDef] = {}
        for stmt in module.body:
            if isinstance(stmt, cst.FunctionDef):
                self.functions[stmt.name.value] = stmt
            elif isinstance(stmt, cst.ClassDef):
                self.classes[stmt.name.value] = stmt
        self.wrappers = self._find_wrappers()
        self.found: List[ExportSite] = []

    @property
    def positions(self):
        if self._positions is None:
            wrapper = cst.metadata.MetadataWrapper(self.module, unsafe_skip_copy=True)
            self._positions = wrapper.resolve(cst.metadata.PositionProvider)
        return self._positions

    def run(self) -> Iterator[ExportSite]:
        self._block(self.module.body, _Env())
        return iter(sorted(self.found, key=lambda s: (s.line, s.column)))

    # Statements -----------------------------------------------------------
    def _block(self, body: Sequence[cst.CSTNode], env: _Env) -> None:
        for stmt in body:
            self._statement(stmt, env)

    def _statement(self, stmt: cst.CSTNode, env: _Env) -> None:
        if isinstance(stmt, cst.FunctionDef):
            if stmt.name.value not in self.wrappers:  # a wrapper's own export call is not a site: its callers are
                self._block(_suite(stmt.body), _Env(env))
            return
        if isinstance(stmt, cst.ClassDef):
            for item in _suite(stmt.body):
                if isinstance(item, cst.FunctionDef):
                    self._block(_suite(item.body), _Env(env))
            return
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in stmt.body:
                self._calls_in(small, env)
                self._bind(small, env)
            return
        # compound: header expressions, then each block, in the same environment
        for attr in ("test", "iter", "items"):
            part = getattr(stmt, attr, None)
            if isinstance(part, cst.CSTNode):
                self._calls_in(part, env)
            elif isinstance(part, (list, tuple)):
                for item in part:
                    self._calls_in(item, env)
                    if isinstance(item, cst.WithItem) and item.asname is not None:
                        name = item.asname.name
                        if isinstance(name, cst.Name):
                            env.values[name.value] = item.item
        for attr in ("body", "orelse", "finalbody"):
            child = getattr(stmt, attr, None)
            if isinstance(child, cst.BaseSuite):
                self._block(_suite(child), env)
            elif isinstance(child, cst.If):  # elif
                self._statement(child, env)
            elif isinstance(child, cst.Else):
                self._block(_suite(child.body), env)
        for handler in getattr(stmt, "handlers", ()) or ():
            self._block(_suite(handler.body), env)

    def _bind(self, small: cst.CSTNode, env: _Env) -> None:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                self._bind_target(target.target, small.value, env)
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            self._bind_target(small.target, small.value, env)

    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression, env: _Env) -> None:
        if isinstance(target, cst.Name):
            env.values[target.value] = value
            if isinstance(value, cst.Call) and self.imports.qualify(value.func) in _SHAPES_COLLECTION:
                env.collections[target.value] = []
        elif isinstance(target, (cst.Tuple, cst.List)):
            items = _elements(value)
            if isinstance(value, cst.Call) and self.imports.qualify(value.func) in _DIMS:
                # t, h = torch.export.dims("t", "h", max=128)
                for index, element in enumerate(target.elements):
                    if isinstance(element.value, cst.Name):
                        env.values[element.value.value] = _DimsItem(value, index)
            elif items is not None and len(items) == len(target.elements):
                for element, item in zip(target.elements, items):
                    self._bind_target(element.value, item, env)
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            # sc[x] = {1: t} on a ShapesCollection
            entries = env.collection(target.value.value)
            if entries is not None and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                entries.append((target.slice[0].slice.value, value))

    # Calls ------------------------------------------------------------------
    def _calls_in(self, node: cst.CSTNode, env: _Env) -> None:
        for call in _calls(node):
            self._maybe_site(call, env)

    def _maybe_site(self, call: cst.Call, env: _Env) -> None:
        qualified = self.imports.qualify(call.func)
        if isinstance(call.func, cst.Call) and self.imports.qualify(call.func.func) == "torch._dynamo.export":
            # torch._dynamo.export(model, dynamic_shapes=...)(*args, **kwargs)
            outer = call.func
            roles = {"model": _arg(outer, 0, "f")}
            roles["dynamic_shapes"] = _keyword(outer, "dynamic_shapes")
            roles["args"] = cst.Tuple([cst.Element(a.value) for a in call.args if a.keyword is None and not a.star])
            self._record(call, "torch._dynamo.export", roles, env)
            return
        if qualified in EXPORT_FUNCTIONS and qualified != "torch._dynamo.export":
            if qualified == "torch.onnx.export" and _literal_bool(_keyword(call, "dynamo")) is False:
                return  # the TorchScript exporter: not torch.export
            self._record(call, qualified, _export_roles(call), env)
            return
        name = call.func.value if isinstance(call.func, cst.Name) else None
        wrapper = self.wrappers.get(name) if name else None
        if wrapper is not None:
            roles = {}
            if wrapper.strict is not None:
                roles["strict"] = cst.Name(str(wrapper.strict))
            for role, param in wrapper.roles:
                roles[role] = _arg(call, wrapper.params.index(param), param) if param in wrapper.params else None
            self._record(call, wrapper.function, roles, env, via=name)

    def _record(self, call: cst.Call, function: str, roles: Dict[str, Optional[cst.BaseExpression]],
                env: _Env, via: str = "") -> None:
        position = self.positions[call]
        model = self._model_class(roles.get("model"), env)
        strict = _literal_bool(self._resolve(roles.get("strict"), env)) if roles.get("strict") is not None else None
        args = self._resolve(roles.get("args"), env)
        positional = _elements(args) if args is not None else None
        if positional is None and args is not None and not isinstance(args, (cst.Tuple, cst.List)):
            positional = [args]  # a single tensor passed where a tuple is expected (onnx accepts it)
        kwargs = self._resolve(roles.get("kwargs"), env)
        inputs = self._examples(positional or [], kwargs, env)
        shapes_node = roles.get("dynamic_shapes")
        if shapes_node is None or is_none(self._resolve(shapes_node, env)):
            state, inputs = "none", inputs
        else:
            state, inputs = self._declare(shapes_node, inputs, positional or [], env)
        self.found.append(
            ExportSite(function, position.start.line, position.start.column + 1, model, strict, state,
                       tuple(inputs), via)
        )

    # The model ------------------------------------------------------------
    def _model_class(self, node: Optional[cst.BaseExpression], env: _Env, depth: int = 0) -> str:
        node = self._resolve(node, env) if depth < 8 else None
        if not isinstance(node, cst.Call):
            return ""
        func = node.func
        if isinstance(func, cst.Attribute):
            if func.attr.value in _MODEL_PASSTHROUGH:
                return self._model_class(func.value, env, depth + 1)  # Net().eval(), Net().to(device)
            if func.attr.value in _CONSTRUCTORS:
                return self._class_name(func.value)  # Net.from_pretrained(...)
        return self._class_name(func)

    def _class_name(self, node: cst.BaseExpression) -> str:
        name = dotted_name(node)
        if name is None:
            return ""
        if name in self.classes:
            return name
        qualified = self.imports.qualify(node)
        return qualified or ""

    # Example inputs ---------------------------------------------------------
    def _examples(self, positional: Sequence[cst.BaseExpression], kwargs: Optional[cst.BaseExpression],
                  env: _Env) -> List[InputSpec]:
        inputs = [self._example(value, index, "", env) for index, value in enumerate(positional)]
        if isinstance(kwargs, cst.Dict):
            for element in kwargs.elements:
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                    inputs.append(self._example(element.value, None, element.key.evaluated_value, env))
        return inputs

    def _example(self, value: cst.BaseExpression, position: Optional[int], keyword: str, env: _Env) -> InputSpec:
        line = self.positions[value].start.line if value in self.positions else 0
        resolved = self._resolve(value, env)
        kind, sizes = self._example_kind(resolved, env)
        return InputSpec(position, keyword, example=kind, sizes=sizes, line=line)

    def _example_kind(self, node: Optional[cst.BaseExpression], env: _Env):
        if node is None:
            return "unknown", None
        if isinstance(node, cst.Integer):
            return "int", None
        if isinstance(node, cst.Float):
            return "float", None
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return "str", None
        if isinstance(node, cst.Name) and node.value in ("True", "False"):
            return "bool", None
        if is_none(node):
            return "none", None
        if isinstance(node, cst.UnaryOperation) and isinstance(node.expression, (cst.Integer, cst.Float)):
            return self._example_kind(node.expression, env)
        if isinstance(node, cst.Call):
            qualified = self.imports.qualify(node.func) or ""
            if qualified.startswith("torch."):
                tail = qualified.rsplit(".", 1)[-1]
                return "tensor", (_factory_sizes(node, tail) if tail in _FACTORIES else None)
            name = dotted_name(node.func)
            if name in self.classes:
                return f"class:{name}", None
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in ("to", "float", "half", "cuda"):
                inner = self._resolve(node.func.value, env)
                if inner is not node:
                    return self._example_kind(inner, env)
        return "unknown", None

    # dynamic_shapes ---------------------------------------------------------
    def _declare(self, node: cst.BaseExpression, inputs: List[InputSpec], positional, env: _Env):
        spec = self._resolve(node, env)
        if isinstance(spec, cst.Name) and env.collection(spec.value) is not None:
            return self._from_collection(env.collection(spec.value), inputs, positional, env)
        if isinstance(spec, cst.Call):
            returned = self._helper_return(spec, env)
            if returned is not None:
                spec, env = returned
        if isinstance(spec, cst.Dict):
            out = list(inputs)
            for element in spec.elements:
                if not (isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)):
                    return "unreadable", inputs
                key = element.key.evaluated_value
                dims, readable = self._input_dims(element.value, env)
                out = _attach(out, None, key, dims, readable)
            return "read", out
        items = _elements(spec) if spec is not None else None
        if items is not None:
            out = list(inputs)
            for index, item in enumerate(items):
                dims, readable = self._input_dims(item, env)
                out = _attach(out, index, "", dims, readable)
            return "read", out
        return "unreadable", inputs

    def _from_collection(self, entries, inputs: List[InputSpec], positional, env: _Env):
        out = list(inputs)
        names = [p.value if isinstance(p, cst.Name) else None for p in positional]
        for key, value in entries:
            if not isinstance(key, cst.Name) or key.value not in names:
                return "unreadable", inputs
            dims, readable = self._input_dims(value, env)
            out = _attach(out, names.index(key.value), "", dims, readable)
        return "read", out

    def _helper_return(self, call: cst.Call, env: _Env) -> Optional[Tuple[cst.BaseExpression, _Env]]:
        """What a same-file helper `def shapes(): t = Dim(...); return {...}` called with no
        arguments returns, and the names its body binds."""
        name = call.func.value if isinstance(call.func, cst.Name) else None
        helper = self.functions.get(name) if name else None
        if helper is None or call.args:
            return None
        returns = [s for s in _smalls(helper.body) if isinstance(s, cst.Return) and s.value is not None]
        if len(returns) != 1:
            return None
        local = _Env(env)
        for small in _smalls(helper.body):
            self._bind(small, local)
        return returns[0].value, local

    def _input_dims(self, node: cst.BaseExpression, env: _Env) -> Tuple[Tuple[Tuple[int, DimSpec], ...], bool]:
        """Declared dims of one input: {1: t}, (None, t), [Dim.STATIC, Dim.AUTO], None."""
        value = self._resolve(node, env)
        if value is None or is_none(value):
            return (), True
        if isinstance(value, cst.Dict):
            dims = []
            for element in value.elements:
                if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.Integer):
                    return (), False
                dims.append((int(element.key.evaluated_value), self._dim(element.value, env)))
            return _declared(dims), True
        items = _elements(value)
        if items is not None:
            return _declared([(i, self._dim(item, env)) for i, item in enumerate(items)]), True
        return (), False

    def _dim(self, node: cst.BaseExpression, env: _Env, depth: int = 0) -> DimSpec:
        text = _code(node)
        value = self._resolve(node, env)
        if value is None or depth > 8:
            return DimSpec(UNKNOWN, text=text)
        if is_none(value):
            return DimSpec(STATIC, text=text)
        qualified = self.imports.qualify(value) if isinstance(value, (cst.Attribute, cst.Name)) else None
        if qualified and qualified.rsplit(".", 1)[0] in _DIM:
            attr = qualified.rsplit(".", 1)[1]
            flavour = {"AUTO": AUTO, "DYNAMIC": DYNAMIC, "STATIC": STATIC}.get(attr, UNKNOWN)
            return DimSpec(flavour, text=text)
        if isinstance(value, _DimsItem):
            return self._named(value.call, value.index, text)
        if isinstance(value, cst.Call) and self.imports.qualify(value.func) in _DIM:
            # `seq` bound to Dim("t", max=128): messages show the Dim, which says what export checks
            return self._named(value, None, _code(value) if isinstance(node, cst.Name) else text)
        if isinstance(value, cst.BinaryOperation):
            left, right = value.left, value.right
            if isinstance(left, cst.Integer):
                left, right = right, left
            if isinstance(right, cst.Integer):
                base = self._dim(left, env, depth + 1)
                k = int(right.evaluated_value)
                if base.flavour == NAMED and isinstance(value.operator, cst.Multiply) and k > 0:
                    return DimSpec(NAMED, base.name, _scaled(base.min, k), _scaled(base.max, k),
                                   base.multiple * k, base.offset * k, text)
                if base.flavour == NAMED and isinstance(value.operator, (cst.Add, cst.Subtract)):
                    shift = k if isinstance(value.operator, cst.Add) else -k
                    return DimSpec(NAMED, base.name, _shifted(base.min, shift), _shifted(base.max, shift),
                                   base.multiple, base.offset + shift, text)
        return DimSpec(UNKNOWN, text=text)

    def _named(self, call: cst.Call, index: Optional[int], text: str) -> DimSpec:
        if index is None:
            name_node = _arg(call, 0, "name")
        else:
            names = [a.value for a in call.args if a.keyword is None]
            name_node = names[index] if index < len(names) else None
        name = name_node.evaluated_value if isinstance(name_node, cst.SimpleString) else ""
        return DimSpec(NAMED, name, int_literal(_keyword(call, "min")), int_literal(_keyword(call, "max")), text=text)

    # Helpers ----------------------------------------------------------------
    def _resolve(self, node: Optional[cst.BaseExpression], env: _Env, depth: int = 0):
        """Follow a Name to what it was last bound to (a few hops)."""
        while isinstance(node, cst.Name) and depth < 8 and node.value not in ("None", "True", "False"):
            bound = env.lookup(node.value)
            if bound is None or env.collection(node.value) is not None:
                return node
            node, depth = bound, depth + 1
        return node

    def _find_wrappers(self) -> Dict[str, _Wrapper]:
        """Functions whose body calls export with their own parameters, unchanged."""
        wrappers: Dict[str, _Wrapper] = {}
        for name, function in self.functions.items():
            params = tuple(p.name.value for p in function.params.params)
            for call in _calls(function.body):
                qualified = self.imports.qualify(call.func)
                if qualified not in EXPORT_FUNCTIONS or qualified == "torch._dynamo.export":
                    continue
                roles = tuple(
                    (role, value.value)
                    for role, value in _export_roles(call).items()
                    if isinstance(value, cst.Name) and value.value in params
                )
                if any(role == "model" for role, _ in roles):
                    strict = _literal_bool(_keyword(call, "strict"))
                    wrappers[name] = _Wrapper(qualified, params, roles, strict)
                    break
        return wrappers


@dataclass(frozen=True)
class _DimsItem:
    """The index-th Dim made by a `torch.export.dims(...)` call (an env value)."""

    call: cst.Call
    index: int


# ----------------------------------------------------------------------------
# Small pure helpers


def _export_roles(call: cst.Call) -> Dict[str, Optional[cst.BaseExpression]]:
    return {
        "model": _arg(call, 0, "mod") or _keyword(call, "model"),
        "args": _arg(call, 1, "args"),
        "kwargs": _arg(call, 2, "kwargs"),
        "dynamic_shapes": _keyword(call, "dynamic_shapes"),
        "strict": _keyword(call, "strict"),
    }


def _attach(inputs: List[InputSpec], position: Optional[int], keyword: str,
            dims: Tuple[Tuple[int, DimSpec], ...], readable: bool) -> List[InputSpec]:
    """Record declared dims on the input they belong to (added if the example is not visible)."""
    for index, spec in enumerate(inputs):
        if (position is not None and spec.position == position) or (keyword and spec.keyword == keyword):
            inputs[index] = InputSpec(spec.position, spec.keyword or keyword, dims, readable, spec.example,
                                      spec.sizes, spec.line)
            return inputs
    return inputs + [InputSpec(position, keyword, dims, readable)]


def _declared(dims: List[Tuple[int, DimSpec]]) -> Tuple[Tuple[int, DimSpec], ...]:
    return tuple(sorted((i, d) for i, d in dims if d.flavour != STATIC))


def _factory_sizes(call: cst.Call, tail: str) -> Optional[Tuple[Optional[int], ...]]:
    """(2, 8, 4) for torch.randn(2, 8, 4) or torch.zeros((2, 8, 4)); randint(lo, hi, (..)) too."""
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    size_kw = _keyword(call, "size")
    if tail == "randint":
        candidates = [p for p in positional if isinstance(p, (cst.Tuple, cst.List))]
        shape = size_kw or (candidates[0] if candidates else None)
        items = _elements(shape) if shape is not None else None
    elif tail == "full":
        items = _elements(positional[0]) if positional else None
    elif size_kw is not None:
        items = _elements(size_kw)
    elif len(positional) == 1 and isinstance(positional[0], (cst.Tuple, cst.List)):
        items = _elements(positional[0])
    else:
        items = positional
    if items is None:
        return None
    return tuple(int_literal(item) for item in items)


def _arg(call: cst.Call, index: int, keyword: str) -> Optional[cst.BaseExpression]:
    positional = []
    for arg in call.args:
        if arg.star:
            break
        if arg.keyword is None:
            positional.append(arg.value)
    if index < len(positional):
        return positional[index]
    return _keyword(call, keyword)


def _keyword(call: cst.Call, name: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _elements(node: Optional[cst.BaseExpression]) -> Optional[List[cst.BaseExpression]]:
    if isinstance(node, (cst.Tuple, cst.List)) and not any(isinstance(e, cst.StarredElement) for e in node.elements):
        return [e.value for e in node.elements]
    return None


def _scaled(value: Optional[int], k: int) -> Optional[int]:
    return value * k if value is not None else None


def _shifted(value: Optional[int], k: int) -> Optional[int]:
    return value + k if value is not None else None


def _literal_bool(node: Optional[cst.BaseExpression]) -> Optional[bool]:
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None


def _suite(body: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return body.body if isinstance(body, cst.IndentedBlock) else [body]


def _smalls(body: cst.BaseSuite) -> Iterator[cst.CSTNode]:
    for stmt in _suite(body):
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            yield from stmt.body


def _calls(node: cst.CSTNode) -> Iterator[cst.Call]:
    """Calls inside node, outermost first, not descending into defs, classes or lambdas."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Call):
            yield current
        for child in reversed(current.children):
            if not isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                stack.append(child)
