"""LibCST trees built from CPython's ``ast``: the analysis's tree at a fraction of LibCST's parse.

LibCST's parser spends most of its time building a node for every piece of
whitespace, comma and parenthesis (in its native code, out of reach); CPython's
parser is about ten times faster and the rules never read layout. So the lint
builds the same LibCST node classes from ``ast.parse`` with the syntax only,
layout left at LibCST's defaults (a built ``f(a,b)`` renders as ``f(a, b)``).
What layout is needed comes from the text:

- positions: each node keeps the span of its ``ast`` node, corrected where
  LibCST's ``PositionProvider`` differs (a parenthesised tuple or a generator
  expression does not include its parentheses there); ``span_of`` gives it;
- source text: ``code_of`` slices the text between those positions, with the
  node's own parentheses (``lpar``/``rpar``, rebuilt from the text), as
  ``Module.code_for_node`` of a parsed tree gives it;
- string literals keep their source text (LibCST's ``value``); concatenated
  and formatted strings are handed to LibCST's own expression parser, which
  places them exactly.

Fixes are not rendered from built trees (their whitespace and comments are
gone): ``--fix`` and the language server's code actions parse with LibCST
(engine ``faithful=True``). A text the builder does not cover (``match``,
``except*``, a layout ``ast`` and LibCST count differently) gets ``None``, and
the caller parses it with LibCST instead: the builder is a shortcut, never a
second grammar. ``tests/test_tree_from_ast.py`` checks that both trees agree,
node for node and position for position, on syntax-rich files.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
import re
import warnings
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union

import libcst as cst
from libcst._nodes.base import CSTNode

from exportlint.source import alarm_held

Span = Tuple[int, int, int, int]  # 1-based lines, 0-based columns (characters), as positions.locate gives them


# source.nesting_problem counts, along one comma-separated part of an expression, the open
# brackets (at most 200: CPython refuses more, and the builder never runs) and the operators
# and nesting keywords, each of which opens at most a few levels of the tree here; it objects
# above 1,000. An expression tree less than DEEP levels deep stays far below that.
DEEP = 200

# What a mistake of the builder on an unforeseen layout raises (an offset past the text,
# a node it did not record, ...). Not Exception: the engine's FileTimeout must get out.
_BUILDER_FAULTS = (ValueError, IndexError, KeyError, AttributeError, TypeError, AssertionError)


class Unsupported(Exception):
    """Syntax the builder leaves to LibCST."""


_QUOTED = (
    r"""(?:'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
)
# One Python string literal, f-strings aside: the text LibCST keeps as SimpleString.value.
_STRING = re.compile(r"(?:[rRbBuU]|[rR][bB]|[bB][rR])?" + _QUOTED, re.DOTALL)
# String literals (any prefix, f-strings included) and comments: where parentheses and newlines are not code's.
_STRING_OR_COMMENT = re.compile(r"[a-zA-Z]{0,2}" + _QUOTED + r"|#[^\n]*", re.DOTALL)
# What the parentheses scan reads: those, and the parentheses between them.
_SKIPPED = re.compile(_STRING_OR_COMMENT.pattern + r"|[()]", re.DOTALL)

_BINARY = {
    ast.Add: cst.Add, ast.Sub: cst.Subtract, ast.Mult: cst.Multiply, ast.Div: cst.Divide,
    ast.FloorDiv: cst.FloorDivide, ast.Mod: cst.Modulo, ast.Pow: cst.Power, ast.LShift: cst.LeftShift,
    ast.RShift: cst.RightShift, ast.BitOr: cst.BitOr, ast.BitAnd: cst.BitAnd, ast.BitXor: cst.BitXor,
    ast.MatMult: cst.MatrixMultiply,
}
_AUGMENTED = {
    ast.Add: cst.AddAssign, ast.Sub: cst.SubtractAssign, ast.Mult: cst.MultiplyAssign, ast.Div: cst.DivideAssign,
    ast.FloorDiv: cst.FloorDivideAssign, ast.Mod: cst.ModuloAssign, ast.Pow: cst.PowerAssign,
    ast.LShift: cst.LeftShiftAssign, ast.RShift: cst.RightShiftAssign, ast.BitOr: cst.BitOrAssign,
    ast.BitAnd: cst.BitAndAssign, ast.BitXor: cst.BitXorAssign, ast.MatMult: cst.MatrixMultiplyAssign,
}
_UNARY = {ast.UAdd: cst.Plus, ast.USub: cst.Minus, ast.Invert: cst.BitInvert, ast.Not: cst.Not}
_COMPARE = {
    ast.Eq: cst.Equal, ast.NotEq: cst.NotEqual, ast.Lt: cst.LessThan, ast.LtE: cst.LessThanEqual,
    ast.Gt: cst.GreaterThan, ast.GtE: cst.GreaterThanEqual, ast.Is: cst.Is, ast.IsNot: cst.IsNot,
    ast.In: cst.In, ast.NotIn: cst.NotIn,
}
_BOOLEAN = {ast.And: cst.And, ast.Or: cst.Or}
# One instance of each operator for the whole tree: nodes are immutable, and nothing keys on an operator
for _table in (_BINARY, _AUGMENTED, _UNARY, _COMPARE, _BOOLEAN):
    for _key, _cls in _table.items():
        _table[_key] = _cls()
_NAMED_CONSTANTS = {None: "None", True: "True", False: "False"}
_LPAR, _RPAR, _DOT, _ONE_SPACE = cst.LeftParen(), cst.RightParen(), cst.Dot(), cst.SimpleWhitespace(" ")
_DEFAULT_PARENS = (cst.Tuple, cst.GeneratorExp)  # LibCST's defaults give these parentheses


class _Makers:
    """``_M.Call(func=..., args=...)``: a LibCST node without its dataclass ``__init__``.

    The generated ``__init__`` of LibCST's frozen dataclasses calls a factory for each
    whitespace field (a new ``SimpleWhitespace("")`` per node) and ``__post_init__``;
    these set the slots directly, every default shared (nodes are immutable): half the
    cost of building a node."""

    def __getattr__(self, name: str):
        made = _maker(getattr(cst, name))
        setattr(self, name, made)
        return made


def _maker(cls: type):
    namespace = {"_new": object.__new__, "_set": object.__setattr__, "_cls": cls}
    required, optional, body = [], [], []
    for number, field in enumerate(dataclasses.fields(cls)):
        if field.default is not dataclasses.MISSING:
            namespace[f"_d{number}"] = field.default
            optional.append(f"{field.name}=_d{number}")
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_d{number}"] = field.default_factory()
            optional.append(f"{field.name}=_d{number}")
        else:
            required.append(field.name)
        body.append(f"    _set(o, {field.name!r}, {field.name})")
    source = f"def make({', '.join(required + optional)}):\n    o = _new(_cls)\n" + "\n".join(body) + "\n    return o\n"
    exec(source, namespace)  # noqa: S102 (our own text, built from LibCST's field names)
    return namespace["make"]


_M = _Makers()


class BuiltTree:
    """A module built from ``text``, with where each of its nodes is and what text it has."""

    def __init__(self, module: cst.Module, text: str, offsets: Dict[int, Tuple[int, int]],
                 outer: Dict[int, Tuple[int, int]], statements: List[int],
                 strings: Sequence[Tuple[CSTNode, int]] = ()) -> None:
        self.module = module
        self.text = text
        # id(node) -> (start, end) in the text: LibCST's span, and for an expression the span with its
        # own parentheses; every such node is in ``module``, so an id stays its node's while the tree lives
        self._offsets = offsets
        self._outer = outer
        self._statements = sorted(statements)  # (an elif's start is recorded before its if's body)
        self._strings = list(strings)  # (a string LibCST parsed, its offset) whose parts are not placed yet
        self._starts: Optional[List[int]] = None
        # How deep expressions nest (flat boolean and comparison chains count their operands):
        # below DEEP, source.nesting_problem cannot object to the text (engine.py)
        self.deepest = 0

    def span_of(self, node: CSTNode) -> Optional[Span]:
        """The node's position as LibCST's PositionProvider gives it, or None for a node that
        is not the tree's (one a rule built)."""
        found = self._offsets.get(id(node))
        if found is None and self._strings:
            self._place_strings()
            found = self._offsets.get(id(node))
        if found is None:
            return None
        if self._starts is None:
            self._starts = _line_starts(self.text)
        starts = self._starts
        line = bisect.bisect_right(starts, found[0])
        end_line = bisect.bisect_right(starts, found[1])
        return (line, found[0] - starts[line - 1], end_line, found[1] - starts[end_line - 1])

    def _place_strings(self) -> None:
        """The spans of the parts of every string LibCST parsed: PositionProvider's, on the string
        rendered alone (it renders as its own text), shifted to where it starts."""
        from libcst.metadata import MetadataWrapper, PositionProvider

        for parsed, offset in self._strings:
            alone = parsed.with_changes(lpar=(), rpar=())  # the parentheses the builder gave it are the file's
            module = cst.Module([cst.SimpleStatementLine([cst.Expr(alone)])])
            starts = _line_starts(module.code_for_node(alone))
            positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
            for inner in _subtree(alone)[1:]:  # the string itself is placed already
                at = positions[inner]
                start, end = starts[at.start.line - 1] + at.start.column, starts[at.end.line - 1] + at.end.column
                self._offsets[id(inner)] = (offset + start, offset + end)
        self._strings = []

    def code_of(self, node: CSTNode) -> Optional[str]:
        """An expression's text as ``Module.code_for_node`` gives it for a parsed tree (its own
        parentheses included), or None for a node the builder did not place (a rule's, a
        statement, a part of a string LibCST parsed)."""
        found = self._outer.get(id(node))
        if found is None:
            return None
        code = self.text[found[0]:found[1]]
        return code if "\n" not in code else self._without_block_indent(code, found[0])

    def _without_block_indent(self, code: str, start: int) -> str:
        """``code`` as LibCST renders a node alone: a continuation line that starts with the
        indentation of the block holding the statement loses it (LibCST keeps whitespace
        relative to the block). Newlines inside string literals are the literal's."""
        if self._starts is None:
            self._starts = _line_starts(self.text)
        at = bisect.bisect_right(self._statements, start) - 1
        statement = self._statements[at] if at >= 0 else 0
        indent = " " * (statement - self._starts[bisect.bisect_right(self._starts, statement) - 1])
        if not indent:
            return code
        strings = [m.span() for m in _STRING_OR_COMMENT.finditer(code) if m.group()[-1:] != "\n" and "\n" in m.group()]
        parts, last = [], 0
        for newline in re.finditer("\n", code):
            at = newline.end()
            if code.startswith(indent, at) and not any(a < at < b for a, b in strings):
                parts.append(code[last:at])
                last = at + len(indent)
        parts.append(code[last:])
        return "".join(parts)


_ACTIVE: List[BuiltTree] = []  # the tree being analysed, if it was built here


@contextmanager
def in_use(built: Optional[BuiltTree]) -> Iterator[None]:
    """``source_code`` reads ``built``'s text while the analysis of its file runs."""
    if built is None:
        yield
        return
    _ACTIVE.append(built)
    try:
        yield
    finally:
        _ACTIVE.pop()


def source_code(node: CSTNode) -> str:
    """The node's source text, as ``Module.code_for_node`` renders a parsed tree's node."""
    if _ACTIVE:
        found = _ACTIVE[-1].code_of(node)
        if found is not None:
            return found
    return cst.Module([]).code_for_node(node)


def _line_starts(text: str) -> List[int]:
    return [0] + [found.end() for found in re.finditer("\n", text)]


def build(text: str) -> Optional[BuiltTree]:
    """The tree LibCST's parse would give (syntax only), or None where the builder does not
    answer for it: the caller parses with LibCST then (which also words any syntax error)."""
    if "\r" in text or "\f" in text or "\t" in text or text.rstrip("\n").endswith("\\"):
        return None  # newlines, form feeds, tabs and a backslash at the end ast and LibCST may read apart
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings of user code are not ours to print
            with alarm_held():
                tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    try:
        return _Builder(text).module(tree)
    except (Unsupported, RecursionError) + _BUILDER_FAULTS:  # LibCST's parse must not lose the file
        return None


class _Builder:
    """Builds the tree; every position is kept as offsets in the text (LibCST's spans)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = _line_starts(text)
        self.ascii = text.isascii()
        self.offsets: Dict[int, Tuple[int, int]] = {}  # id(node) -> its span (LibCST's)
        self.outer: Dict[int, Tuple[int, int]] = {}  # id(expression) -> its span with its own parentheses
        self.syntax_parens: set = set()  # offsets of "(" that belong to a call, def or class
        self.statements: List[int] = []  # where each statement (and except clause) starts
        self.strings: List[Tuple[CSTNode, int]] = []  # strings LibCST parsed, and where each starts
        self.level = self.deepest = 0  # expressions nested at this point, and at most
        self.columns: List[int] = [0]  # the column of each statement being built, outermost first
        self.indent: Optional[str] = None  # the file's default indentation, once a block has set it

    # Positions -----------------------------------------------------------
    def at(self, line: int, byte_column: int) -> int:
        """The text offset of ast's (line, UTF-8 byte column)."""
        start = self.starts[line - 1]
        if self.ascii:
            return start + byte_column
        text = self.text[start:self.starts[line] if line < len(self.starts) else len(self.text)]
        if text.isascii():
            return start + byte_column
        return start + len(text.encode("utf-8")[:byte_column].decode("utf-8", "replace"))

    def span(self, node: ast.AST) -> Tuple[int, int]:
        if self.ascii:  # byte columns are character columns
            starts = self.starts
            return starts[node.lineno - 1] + node.col_offset, starts[node.end_lineno - 1] + node.end_col_offset
        return self.at(node.lineno, node.col_offset), self.at(node.end_lineno, node.end_col_offset)

    def record(self, built: CSTNode, span: Tuple[int, int]) -> CSTNode:
        self.offsets[id(built)] = span
        return built

    def parens_around(self, start: int, end: int) -> Tuple[int, int, int]:
        """(how many pairs of parentheses enclose text[start:end] directly, with only blanks and
        comments between, not counting a call's, def's or class's; the span with them).

        A "(" just before a balanced expression and a ")" just after it can only pair with
        each other: any other ")" for that "(" would have to lie inside the expression."""
        text = self.text
        if start and text[start - 1] not in "( \n":
            return 0, start, end  # most expressions: no parenthesis can be theirs
        count = 0
        while True:
            before = self.previous_token(start)
            if before < 0 or text[before] != "(" or before in self.syntax_parens:
                return count, start, end
            after = self.next_token(end)
            if after >= len(text) or text[after] != ")":
                return count, start, end
            count += 1
            start, end = before, after + 1

    def previous_token(self, offset: int) -> int:
        """Where the token before ``offset`` ends, less one (blanks, comments and newlines skipped)."""
        text = self.text
        before = offset - 1
        while before >= 0:
            if text[before] in " \n" or text.startswith("\\\n", before):  # (a line continuation too)
                before -= 1
                continue
            comment = self.comment_ending(before)
            if comment is None:
                break
            before = comment - 1
        return before

    def comment_ending(self, offset: int) -> Optional[int]:
        """Where the comment that text[offset] ends (blanks aside) starts, if it ends one."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        if self.text.find("#", line_start, offset + 1) < 0:
            return None
        line_end = self.text.find("\n", offset)
        line = self.text[line_start:len(self.text) if line_end < 0 else line_end]
        for found in _STRING_OR_COMMENT.finditer(line):
            if found.group()[0] == "#" and found.start() + len(found.group().rstrip()) - 1 == offset - line_start:
                return line_start + found.start()
        return None

    def next_token(self, offset: int) -> int:
        """Where the next token after ``offset`` starts (blanks, comments and newlines skipped)."""
        text = self.text
        while True:
            while offset < len(text) and (text[offset] in " \n" or text.startswith("\\\n", offset)):
                offset += 1
            if offset < len(text) and text[offset] == "#":
                newline = text.find("\n", offset)
                offset = len(text) if newline < 0 else newline
                continue
            return offset

    # Expressions -----------------------------------------------------------
    def expr(self, node: ast.expr) -> cst.BaseExpression:
        if type(node) is ast.Name and self.ascii:  # nearly half the expressions: no dispatch, no nesting
            start = self.starts[node.lineno - 1] + node.col_offset
            if self.level >= self.deepest:
                self.deepest = self.level + 1
            return self.placed(_M.Name(node.id), (start, start + len(node.id)))
        method = _EXPRESSIONS.get(type(node))
        if method is None:
            raise Unsupported(type(node).__name__)
        self.level += 1
        if self.level > self.deepest:
            self.deepest = self.level
        built, span = method(self, node, self.span(node))
        self.level -= 1
        return self.placed(built, span)

    def placed(self, built: cst.BaseExpression, span: Tuple[int, int]) -> cst.BaseExpression:
        """An expression with its span, and its own parentheses read from around it."""
        depth, outer_start, outer_end = self.parens_around(*span)
        if depth or type(built) in _DEFAULT_PARENS:  # set on the new node: nothing else holds it yet
            object.__setattr__(built, "lpar", (_LPAR,) * depth)
            object.__setattr__(built, "rpar", (_RPAR,) * depth)
        self.outer[id(built)] = (outer_start, outer_end)
        self.offsets[id(built)] = span
        return built

    def optional(self, node: Optional[ast.expr]) -> Optional[cst.BaseExpression]:
        return None if node is None else self.expr(node)

    def joined(self, first: CSTNode, last: CSTNode) -> Tuple[int, int]:
        return self.outer[id(first)][0], self.outer[id(last)][1]

    def e_Name(self, node: ast.Name, span):
        return _M.Name(self.text[span[0]:span[1]]), span

    def e_Constant(self, node: ast.Constant, span):
        value = node.value
        if value is None or value is True or value is False:
            return _M.Name(_NAMED_CONSTANTS[value]), span
        if value is Ellipsis:
            return _M.Ellipsis(), span
        source = self.text[span[0]:span[1]]
        if isinstance(value, (str, bytes)):
            if _STRING.fullmatch(source):
                return _M.SimpleString(source), span
            return self.subparse(span)
        if isinstance(value, complex):
            return _M.Imaginary(source), span
        if isinstance(value, float):
            return _M.Float(source), span
        if isinstance(value, int):
            return _M.Integer(source), span
        raise Unsupported("constant")

    def e_JoinedStr(self, node: ast.JoinedStr, span):
        return self.subparse(span)

    def subparse(self, span: Tuple[int, int]):
        """A string literal LibCST splits into parts (concatenated, formatted): LibCST's own
        parse of its text. The parts are placed only if one is asked for (BuiltTree.span_of):
        a finding inside a string is rare, and placing them costs a code generation."""
        parsed = cst.parse_expression("(" + self.text[span[0]:span[1]] + ")").with_changes(lpar=(), rpar=())
        self.strings.append((parsed, span[0]))
        return parsed, span

    def e_Attribute(self, node: ast.Attribute, span):
        value = self.expr(node.value)
        attr = self.record(_M.Name(node.attr), (span[1] - len(node.attr), span[1]))
        return _M.Attribute(value=value, attr=attr), span

    def e_Call(self, node: ast.Call, span):
        func = self.expr(node.func)
        self.syntax_parens.add(self.text.index("(", self.outer[id(func)][1]))
        items = node.args + node.keywords if not node.keywords or not node.args else sorted(
            node.args + node.keywords, key=lambda a: (a.lineno, a.col_offset))  # f(*a, b=1, *c): source order
        return _M.Call(func=func, args=tuple(self.argument(item) for item in items)), span

    def argument(self, item: Union[ast.expr, ast.keyword]) -> cst.Arg:
        if isinstance(item, ast.keyword):
            start = self.span(item)[0]
            value = self.expr(item.value)
            end = self.outer[id(value)][1]
            if item.arg is None:
                return self.record(_M.Arg(value=value, star="**"), (start, end))
            name = self.record(_M.Name(item.arg), (start, start + len(item.arg)))
            return self.record(_M.Arg(value=value, keyword=name), (start, end))
        if isinstance(item, ast.Starred):
            start = self.span(item)[0]
            value = self.expr(item.value)
            return self.record(_M.Arg(value=value, star="*"), (start, self.outer[id(value)][1]))
        value = self.expr(item)
        return self.record(_M.Arg(value=value), self.outer[id(value)])

    def e_Subscript(self, node: ast.Subscript, span):
        value = self.expr(node.value)
        inner = node.slice
        if isinstance(inner, ast.Tuple) and inner.elts and not self.tuple_has_parens(inner):
            elements = tuple(self.subscript_element(e) for e in inner.elts)
        else:
            elements = (self.subscript_element(inner),)
        return _M.Subscript(value=value, slice=elements), span

    def subscript_element(self, node: ast.expr) -> cst.SubscriptElement:
        if isinstance(node, ast.Slice):
            span = self.span(node)
            lower, upper, step = self.optional(node.lower), self.optional(node.upper), self.optional(node.step)
            last = upper or lower
            after = self.outer[id(last)][1] if last is not None else span[0]
            colons = self.text[after:span[1]].count(":")  # after the bounds only colons are left
            second = step is not None or colons >= (1 if last is upper and upper is not None else 2)
            part = _M.Slice(lower=lower, upper=upper, step=step,
                            second_colon=_M.Colon() if second else cst.MaybeSentinel.DEFAULT)
            if self.text[span[1] - 1] == ":":  # LibCST's span takes in the blanks after a closing colon
                span = (span[0], self.next_token(span[1]))
            self.record(part, span)
        elif isinstance(node, ast.Starred):
            raise Unsupported("starred subscript")
        else:
            value = self.expr(node)
            span = self.outer[id(value)]
            part = self.record(_M.Index(value=value), span)
        return self.record(_M.SubscriptElement(slice=part), span)

    def e_BinOp(self, node: ast.BinOp, span):
        left, right = self.expr(node.left), self.expr(node.right)
        return _M.BinaryOperation(left=left, operator=_BINARY[type(node.op)], right=right), span

    def e_UnaryOp(self, node: ast.UnaryOp, span):
        return _M.UnaryOperation(operator=_UNARY[type(node.op)], expression=self.expr(node.operand)), span

    def e_BoolOp(self, node: ast.BoolOp, span):
        self.level += len(node.values)  # flat here, one level per operand in LibCST and the nesting scan
        values = [self.expr(v) for v in node.values]
        self.level -= len(node.values)
        built = values[0]
        operator = _BOOLEAN[type(node.op)]
        for value in values[1:]:  # left-associative, as LibCST nests it
            built = _M.BooleanOperation(left=built, operator=operator, right=value)
            if value is not values[-1]:
                self.record(built, self.joined(values[0], value))
                self.outer[id(built)] = self.offsets[id(built)]
        return built, span

    def e_Compare(self, node: ast.Compare, span):
        self.level += len(node.ops)  # (as a boolean operation's operands)
        left = self.expr(node.left)
        targets = []
        previous = left
        for op, comparator in zip(node.ops, node.comparators):
            built = self.expr(comparator)
            # LibCST's span of a target starts right after the operand before it (with the blanks)
            at = (self.outer[id(previous)][1], self.outer[id(built)][1])
            targets.append(self.record(_M.ComparisonTarget(operator=_COMPARE[type(op)], comparator=built), at))
            previous = built
        self.level -= len(node.ops)
        return _M.Comparison(left=left, comparisons=tuple(targets)), span

    def e_IfExp(self, node: ast.IfExp, span):
        body = self.expr(node.body)
        test = self.expr(node.test)
        return _M.IfExp(test=test, body=body, orelse=self.expr(node.orelse)), span

    def e_NamedExpr(self, node: ast.NamedExpr, span):
        return _M.NamedExpr(target=self.expr(node.target), value=self.expr(node.value)), span

    def e_Await(self, node: ast.Await, span):
        return _M.Await(expression=self.expr(node.value)), span

    def e_Yield(self, node: ast.Yield, span):
        return _M.Yield(value=self.optional(node.value)), span

    def e_YieldFrom(self, node: ast.YieldFrom, span):
        return _M.Yield(value=_M.From(item=self.expr(node.value))), span

    def elements(self, nodes: Sequence[ast.expr]) -> Tuple[CSTNode, ...]:
        built = []
        for item in nodes:
            if isinstance(item, ast.Starred):
                start = self.span(item)[0]
                value = self.expr(item.value)
                built.append(self.record(_M.StarredElement(value=value), (start, self.outer[id(value)][1])))
            else:
                value = self.expr(item)
                built.append(self.record(_M.Element(value=value), self.outer[id(value)]))
        return tuple(built)

    def e_List(self, node: ast.List, span):
        return _M.List(elements=self.elements(node.elts)), span

    def e_Set(self, node: ast.Set, span):
        return _M.Set(elements=self.elements(node.elts)), span

    def tuple_has_parens(self, node: ast.Tuple) -> bool:
        start, end = self.span(node)
        if self.text[start] != "(":
            return False
        depth = 0  # does the "(" that opens it close at its end? (`(a), (b)` starts and ends with others)
        for found in _SKIPPED.finditer(self.text, start, end):
            token = found.group()
            if token == "(":
                depth += 1
            elif token == ")":
                depth -= 1
                if depth == 0:
                    return found.start() == end - 1
        return False

    def e_Tuple(self, node: ast.Tuple, span):
        elements = self.elements(node.elts)
        if not elements:  # `()`: LibCST places it inside its parentheses
            return _M.Tuple(elements=()), (span[0] + 1, span[1] - 1)
        return _M.Tuple(elements=elements), self.tuple_span(elements)

    def tuple_span(self, elements: Tuple[CSTNode, ...]) -> Tuple[int, int]:
        """LibCST's span of a tuple: from the first element to the last one's trailing comma, if
        any (ast's holds the tuple's own parentheses, and not always that comma)."""
        start = self.offsets[id(elements[0])][0]
        end = self.outer[id(elements[-1].value)][1]
        after = self.next_token(end)
        if after < len(self.text) and self.text[after] == ",":
            end = after + 1
        return start, end

    def e_Dict(self, node: ast.Dict, span):
        built = []
        for key, value in zip(node.keys, node.values):
            if key is None:
                v = self.expr(value)
                start, end = self.outer[id(v)]
                built.append(self.record(_M.StarredDictElement(value=v), (self.text.rindex("**", 0, start), end)))
            else:
                k = self.expr(key)
                v = self.expr(value)
                built.append(self.record(_M.DictElement(key=k, value=v), self.joined(k, v)))
        return _M.Dict(elements=tuple(built)), span

    def comprehension(self, generators: Sequence[ast.comprehension]) -> cst.CompFor:
        built = None
        for generator in reversed(generators):
            if generator.is_async:
                raise Unsupported("async comprehension")
            built = _M.CompFor(
                target=self.expr(generator.target), iter=self.expr(generator.iter),
                ifs=tuple(_M.CompIf(test=self.expr(test)) for test in generator.ifs), inner_for_in=built,
            )
        return built

    def e_ListComp(self, node: ast.ListComp, span):
        return _M.ListComp(elt=self.expr(node.elt), for_in=self.comprehension(node.generators)), span

    def e_SetComp(self, node: ast.SetComp, span):
        return _M.SetComp(elt=self.expr(node.elt), for_in=self.comprehension(node.generators)), span

    def e_DictComp(self, node: ast.DictComp, span):
        key, value = self.expr(node.key), self.expr(node.value)
        return _M.DictComp(key=key, value=value, for_in=self.comprehension(node.generators)), span

    def e_GeneratorExp(self, node: ast.GeneratorExp, span):
        # ast's span holds one pair of parentheses (its own, or the call's it is the sole argument of)
        start, end = self.next_token(span[0] + 1), span[1] - 1
        while self.text[end - 1] in " \n":
            end -= 1
        return _M.GeneratorExp(elt=self.expr(node.elt), for_in=self.comprehension(node.generators)), (start, end)

    def e_Lambda(self, node: ast.Lambda, span):
        return _M.Lambda(params=self.parameters(node.args), body=self.expr(node.body)), span

    # Parameters ------------------------------------------------------------
    def param(self, arg: ast.arg, default: Optional[ast.expr], star: str = "") -> cst.Param:
        start = self.span(arg)[0]
        name = self.record(_M.Name(arg.arg), (start, start + len(arg.arg)))
        annotation = None
        if arg.annotation is not None:
            value = self.expr(arg.annotation)
            annotation = self.record(_M.Annotation(annotation=value), self.outer[id(value)])
        built = _M.Param(name=name, annotation=annotation, default=self.optional(default), star=star)
        # LibCST's span of a parameter: its star and name, without annotation or default
        return self.record(built, (self.text.rindex(star, 0, start) if star else start, start + len(arg.arg)))

    def parameters(self, args: ast.arguments) -> cst.Parameters:
        positional = args.posonlyargs + args.args
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        built = tuple(self.param(a, d) for a, d in zip(positional, defaults))
        posonly, params = built[:len(args.posonlyargs)], built[len(args.posonlyargs):]
        kwonly = tuple(self.param(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults))
        if args.vararg is not None:
            star_arg = self.param(args.vararg, None, "*")
        elif kwonly:
            star_arg = _M.ParamStar()
        else:
            star_arg = cst.MaybeSentinel.DEFAULT
        star_kwarg = self.param(args.kwarg, None, "**") if args.kwarg is not None else None
        return _M.Parameters(
            params=params, star_arg=star_arg, kwonly_params=kwonly, star_kwarg=star_kwarg,
            posonly_params=posonly, posonly_ind=_M.ParamSlash() if posonly else cst.MaybeSentinel.DEFAULT,
        )

    # Statements --------------------------------------------------------------
    def module(self, tree: ast.Module) -> BuiltTree:
        body = self.block(tree.body)
        module = _M.Module(
            body=body, default_indent=self.indent or "    ", default_newline="\n",
            has_trailing_newline=self.text.endswith("\n"),
        )
        built = BuiltTree(module, self.text, self.offsets, self.outer, self.statements, self.strings)
        built.deepest = self.deepest
        return built

    def block(self, statements: Sequence[ast.stmt]) -> Tuple[CSTNode, ...]:
        built: List[CSTNode] = []
        line: List[CSTNode] = []
        last_line = -1
        for stmt in statements:
            if isinstance(stmt, _COMPOUND):
                if line:
                    built.append(self.simple_line(line))
                    line = []
                built.append(self.compound(stmt))
                continue
            small = self.small(stmt)
            if line and stmt.lineno != last_line:  # `a = 1; b = 2`: one line of two statements
                built.append(self.simple_line(line))
                line = []
            line.append(small)
            last_line = stmt.end_lineno
        if line:
            built.append(self.simple_line(line))
        return tuple(built)

    def simple_line(self, smalls: List[CSTNode]) -> cst.SimpleStatementLine:
        span = (self.offsets[id(smalls[0])][0], self.offsets[id(smalls[-1])][1])
        return self.record(_M.SimpleStatementLine(body=tuple(smalls)), span)

    def suite(self, statements: Sequence[ast.stmt]) -> cst.BaseSuite:
        """An indented block, or the statements after the colon on the header's line."""
        first = statements[0]
        start = self.at(first.lineno, first.col_offset)
        before = start - 1
        while self.text[before] == " ":
            before -= 1
        if self.text[before] == ":":  # `if x: return y`: the statements follow the colon
            blank = self.text[before + 1:start]  # a field the walk reads (not named as layout)
            leading = _ONE_SPACE if blank == " " else _M.SimpleWhitespace(blank)
            return _M.SimpleStatementSuite(body=tuple(self.small(s) for s in statements), leading_whitespace=leading)
        # LibCST keeps a block's indentation relative to its header's, None when it is the file's default:
        # the first block's, in source order (its first INDENT token)
        indent = " " * (start - self.starts[first.lineno - 1] - self.columns[-1])
        if self.indent is None:
            self.indent = indent
        return _M.IndentedBlock(body=self.block(statements), indent=None if indent == self.indent else indent)

    def small(self, stmt: ast.stmt) -> CSTNode:
        return self.statement(stmt, _SMALL)

    def compound(self, stmt: ast.stmt) -> CSTNode:
        return self.statement(stmt, _COMPOUNDS)

    def statement(self, stmt: ast.stmt, methods: dict) -> CSTNode:
        method = methods.get(type(stmt))
        if method is None:
            raise Unsupported(type(stmt).__name__)  # `match`, `except*`, ...: LibCST's parse takes the file
        span = self.span(stmt)
        self.statements.append(span[0])
        self.columns.append(span[0] - self.starts[stmt.lineno - 1])
        built = method(self, stmt)
        self.columns.pop()
        return self.record(built, span)

    def s_Expr(self, stmt: ast.Expr):
        return _M.Expr(value=self.expr(stmt.value))

    def s_Assign(self, stmt: ast.Assign):
        targets = []
        for target in stmt.targets:
            value = self.expr(target)
            targets.append(self.record(_M.AssignTarget(target=value), self.outer[id(value)]))
        return _M.Assign(targets=tuple(targets), value=self.expr(stmt.value))

    def s_AugAssign(self, stmt: ast.AugAssign):
        target = self.expr(stmt.target)
        return _M.AugAssign(target=target, operator=_AUGMENTED[type(stmt.op)], value=self.expr(stmt.value))

    def s_AnnAssign(self, stmt: ast.AnnAssign):
        target = self.expr(stmt.target)
        value = self.expr(stmt.annotation)
        annotation = self.record(_M.Annotation(annotation=value), self.outer[id(value)])
        return _M.AnnAssign(target=target, annotation=annotation, value=self.optional(stmt.value))

    def s_Return(self, stmt: ast.Return):
        return _M.Return(value=self.optional(stmt.value))

    def s_Pass(self, stmt):
        return _M.Pass()

    def s_Break(self, stmt):
        return _M.Break()

    def s_Continue(self, stmt):
        return _M.Continue()

    def s_Raise(self, stmt: ast.Raise):
        cause = _M.From(item=self.expr(stmt.cause)) if stmt.cause is not None else None
        return _M.Raise(exc=self.optional(stmt.exc), cause=cause)

    def s_Assert(self, stmt: ast.Assert):
        return _M.Assert(test=self.expr(stmt.test), msg=self.optional(stmt.msg))

    def s_Delete(self, stmt: ast.Delete):
        if len(stmt.targets) == 1:
            return _M.Del(target=self.expr(stmt.targets[0]))
        elements = self.elements(stmt.targets)  # `del a, b`: LibCST's target is a tuple without parentheses
        target = _M.Tuple(elements=elements, lpar=(), rpar=())
        span = self.tuple_span(elements)
        self.outer[id(target)] = span
        return _M.Del(target=self.record(target, span))

    def s_Global(self, stmt: ast.Global):
        return _M.Global(names=tuple(_M.NameItem(name=_M.Name(n)) for n in stmt.names))

    def s_Nonlocal(self, stmt: ast.Nonlocal):
        return _M.Nonlocal(names=tuple(_M.NameItem(name=_M.Name(n)) for n in stmt.names))

    def dotted(self, name: str) -> cst.BaseExpression:
        parts = name.split(".")
        built: cst.BaseExpression = _M.Name(parts[0])
        for part in parts[1:]:
            built = _M.Attribute(value=built, attr=_M.Name(part))
        return built

    def alias(self, alias: ast.alias) -> cst.ImportAlias:
        asname = _M.AsName(name=_M.Name(alias.asname)) if alias.asname else None
        return _M.ImportAlias(name=self.dotted(alias.name), asname=asname)

    def s_Import(self, stmt: ast.Import):
        return _M.Import(names=tuple(self.alias(a) for a in stmt.names))

    def s_ImportFrom(self, stmt: ast.ImportFrom):
        if len(stmt.names) == 1 and stmt.names[0].name == "*":
            names: Union[cst.ImportStar, Tuple[cst.ImportAlias, ...]] = _M.ImportStar()
        else:
            names = tuple(self.alias(a) for a in stmt.names)
        module = self.dotted(stmt.module) if stmt.module else None
        return _M.ImportFrom(module=module, names=names, relative=(_DOT,) * (stmt.level or 0))

    def decorators(self, stmt) -> Tuple[cst.Decorator, ...]:
        built = []
        for decorator in stmt.decorator_list:
            value = self.expr(decorator)
            start, end = self.outer[id(value)]
            built.append(self.record(_M.Decorator(decorator=value), (self.text.rindex("@", 0, start), end)))
        return tuple(built)

    def name_after(self, stmt: ast.stmt, keyword: str) -> int:
        """The offset of the name a def or class statement binds."""
        found = re.compile(keyword + r"\s+").match(self.text, self.text.index(keyword, self.span(stmt)[0]))
        if found is None:
            raise Unsupported("layout of a def")
        return found.end()

    def c_FunctionDef(self, stmt: ast.FunctionDef, asynchronous: bool = False):
        if getattr(stmt, "type_params", None):  # `def f[T]()` (Python 3.12): LibCST's TypeParameters
            raise Unsupported("type parameters")
        decorators = self.decorators(stmt)
        at = self.name_after(stmt, "def")
        name = self.record(_M.Name(stmt.name), (at, at + len(stmt.name)))
        self.syntax_parens.add(self.text.index("(", at + len(stmt.name)))
        params = self.parameters(stmt.args)
        returns = None
        if stmt.returns is not None:
            value = self.expr(stmt.returns)
            returns = self.record(_M.Annotation(annotation=value), self.outer[id(value)])
        return _M.FunctionDef(
            name=name, params=params, body=self.suite(stmt.body), decorators=decorators, returns=returns,
            asynchronous=_M.Asynchronous() if asynchronous else None,
        )

    def c_AsyncFunctionDef(self, stmt: ast.AsyncFunctionDef):
        return self.c_FunctionDef(stmt, asynchronous=True)

    def c_ClassDef(self, stmt: ast.ClassDef):
        if getattr(stmt, "type_params", None):
            raise Unsupported("type parameters")
        decorators = self.decorators(stmt)
        at = self.name_after(stmt, "class")
        name = self.record(_M.Name(stmt.name), (at, at + len(stmt.name)))
        after = self.next_token(at + len(stmt.name))
        has_parens = self.text[after] == "("
        if has_parens:
            self.syntax_parens.add(after)
        bases = tuple(self.argument(b) for b in stmt.bases)
        keywords = tuple(self.argument(k) for k in stmt.keywords)
        return _M.ClassDef(
            name=name, body=self.suite(stmt.body), bases=bases, keywords=keywords, decorators=decorators,
            lpar=_M.LeftParen() if has_parens else cst.MaybeSentinel.DEFAULT,
            rpar=_M.RightParen() if has_parens else cst.MaybeSentinel.DEFAULT,
        )

    def c_If(self, stmt: ast.If):
        test = self.expr(stmt.test)
        orelse = None
        if stmt.orelse:
            first = stmt.orelse[0]
            elif_ = isinstance(first, ast.If) and self.text.startswith("elif", self.at(first.lineno, first.col_offset))
            orelse = self.compound(first) if elif_ else _M.Else(body=self.suite(stmt.orelse))
        return _M.If(test=test, body=self.suite(stmt.body), orelse=orelse)

    def else_of(self, statements: Sequence[ast.stmt]) -> Optional[cst.Else]:
        return _M.Else(body=self.suite(statements)) if statements else None

    def c_For(self, stmt: ast.For):
        target, iterable = self.expr(stmt.target), self.expr(stmt.iter)
        return _M.For(target=target, iter=iterable, body=self.suite(stmt.body), orelse=self.else_of(stmt.orelse))

    def c_While(self, stmt: ast.While):
        return _M.While(test=self.expr(stmt.test), body=self.suite(stmt.body), orelse=self.else_of(stmt.orelse))

    def c_With(self, stmt: ast.With):
        items = []
        for item in stmt.items:
            value = self.expr(item.context_expr)
            asname = None
            if item.optional_vars is not None:
                asname = _M.AsName(name=self.expr(item.optional_vars))
            items.append(_M.WithItem(item=value, asname=asname))
        return _M.With(items=tuple(items), body=self.suite(stmt.body))

    def c_Try(self, stmt: ast.Try):
        handlers = []
        for handler in stmt.handlers:
            self.statements.append(self.span(handler)[0])  # `except (A,\n B):` is indented as the try
            name = _M.AsName(name=_M.Name(handler.name)) if handler.name else None
            handlers.append(
                _M.ExceptHandler(body=self.suite(handler.body), type=self.optional(handler.type), name=name)
            )
        final = _M.Finally(body=self.suite(stmt.finalbody)) if stmt.finalbody else None
        return _M.Try(body=self.suite(stmt.body), handlers=tuple(handlers), orelse=self.else_of(stmt.orelse),
                      finalbody=final)


def _subtree(node: CSTNode) -> List[CSTNode]:
    found = [node]
    for child in node.children:
        found.extend(_subtree(child))
    return found


def _methods(prefix: str) -> dict:
    return {
        getattr(ast, name[len(prefix):]): method for name, method in vars(_Builder).items()
        if name.startswith(prefix) and hasattr(ast, name[len(prefix):])
    }


_EXPRESSIONS = _methods("e_")
_SMALL = _methods("s_")
_COMPOUNDS = _methods("c_")
# Statements with a body: anything else is a small statement (SimpleStatementLine's)
_COMPOUND = (
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor, ast.While, ast.With,
    ast.AsyncWith, ast.Try,
) + tuple(getattr(ast, n) for n in ("Match", "TryStar") if hasattr(ast, n))
