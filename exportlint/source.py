"""Turning file bytes into text the way Python itself would, and the prefilter."""

from __future__ import annotations

import ast
import codecs
import io
import re
import signal
import tokenize
import warnings
from contextlib import contextmanager
from typing import Iterator, List, Optional, Tuple


class UndecodableSource(Exception):
    """The bytes are not text in the encoding the file declares (PEP 263)."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


_BYTE_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _undecodable(data: bytes, encoding: str, exc: UnicodeDecodeError) -> UndecodableSource:
    start = exc.start
    if encoding == "utf-8-sig" and data.startswith(codecs.BOM_UTF8):
        start += len(codecs.BOM_UTF8)  # the codec counts from after the BOM
    breaks = list(_BYTE_LINE_BREAK.finditer(data, 0, start))
    line_start = breaks[-1].end() if breaks else 0
    column = len(data[line_start:start].decode(encoding, errors="replace").lstrip("\ufeff")) + 1
    bad = data[start:start + max(1, min(exc.end - exc.start, 4))]
    return UndecodableSource(
        f"not valid {encoding.replace('-sig', '')} at line {len(breaks) + 1}: byte {bad.hex(' ')} ({exc.reason})",
        len(breaks) + 1, column,
    )


def decode(data: bytes) -> str:
    """Decode like the interpreter: BOM, then a coding cookie, then UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # unknown codec in the cookie, or BOM + other cookie
        message = str(exc)
        if message.startswith("encoding problem") and data.startswith(codecs.BOM_UTF8):
            message = "the file starts with a UTF-8 BOM but declares another encoding"
        elif message.startswith("invalid or missing encoding declaration"):
            try:  # a non-UTF-8 byte in the first two lines, and no cookie: say where
                data.decode("utf-8")
            except UnicodeDecodeError as utf8_error:
                raise _undecodable(data, "utf-8", utf8_error) from None
        raise UndecodableSource(message) from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(data, encoding, exc) from None
    except LookupError as exc:
        raise UndecodableSource(f"unknown encoding: {exc}") from None


# Export traces from ``forward`` methods of nn.Module subclasses, whose bases
# may come from any file of the project (or from a package outside it), so a
# file can only hold a traced root if it has ``def forward`` and a class
# statement with a base list. Anything else is skipped without parsing with
# LibCST: most files of a repository, at the cost of a text search. (Helpers
# traced from other files are asked for by the project index, not found here.)
_DEFINES_FORWARD = re.compile(r"\bdef\s+forward\b")
_CLASS_WITH_BASES = re.compile(r"\bclass\s+\w+\s*\(\s*[^)\s]")


def may_contain_models(text: str, extra_bases: Tuple[str, ...] = ()) -> bool:
    """``extra_bases`` is accepted for callers of older releases; any base may name a module now."""
    if "forward" not in text or "class" not in text or _DEFINES_FORWARD.search(text) is None:
        return False
    return _CLASS_WITH_BASES.search(text) is not None


# Python ends a line at \r\n, \r and \n only (str.splitlines also splits at \f,
# \v, \x1c-\x1e, \x85, \u2028 and \u2029, which can sit in code and strings).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def physical_lines(text: str) -> List[str]:
    """The lines of ``text`` as Python, LibCST and flake8 number them."""
    return _LINE_BREAK.split(text)


def position(text: str, offset: int) -> Tuple[int, int]:
    """1-based (line, column) of a character offset."""
    breaks = list(_LINE_BREAK.finditer(text, 0, offset))
    return len(breaks) + 1, offset - (breaks[-1].end() if breaks else 0) + 1


# Size and nesting limits ----------------------------------------------------
#
# LibCST parses in native code that the per-file timeout cannot interrupt, at
# 20-400 KB/s and with about 650 bytes of memory per byte of dense code (4 MB:
# 85 s and 2.6 GB); it recurses on the C stack: a few thousand nested brackets
# crash the interpreter (a segfault that ends the whole run), and its time
# grows steeply with the depth of an expression (x[0][0]..., -(-(...)),
# a.b.c...: minutes for 3,000 levels that CPython accepts). Text beyond these
# limits is not handed to it; the analysis gives up at a few hundred levels
# of nesting anyway.

MIN_SIZE_LIMIT = 2 * 1024 * 1024  # characters, whatever the timeout
SIZE_PER_SECOND = 64 * 1024  # characters per second of timeout, above that
MAX_BRACKET_DEPTH = 200  # CPython's own limit ("too many nested parentheses")
MAX_EXPRESSION_DEPTH = 1000  # bracket levels + operators in one comma-separated part


def size_limit(timeout: float) -> int:
    """The longest text, in characters, linted under a per-file timeout of ``timeout`` s."""
    try:
        return max(MIN_SIZE_LIMIT, int(timeout * SIZE_PER_SECOND))
    except (OverflowError, ValueError):  # inf: no limit; nan
        return MIN_SIZE_LIMIT if timeout != timeout else 2**62


_STRING_BODY = (
    r"""(?:'''(?:\\[\s\S]|[^\\])*?(?:'''|\Z)|\"\"\"(?:\\[\s\S]|[^\\])*?(?:\"\"\"|\Z)"""
    r"""|'(?:\\[\s\S]|[^'\\\r\n])*'?|"(?:\\[\s\S]|[^"\\\r\n])*"?)"""
)
# One pattern, tried in order; the number of the group that matched says what
# was found. Strings and comments are skipped whole; so are identifiers, except
# the keywords that nest an expression.
_FSTRING, _OPEN, _CLOSE, _SEPARATOR, _NEWLINE, _OPERATOR, _WORD = range(1, 8)
_NESTING_TOKEN = re.compile(
    r"((?:[rR][fF]|[fF][rR]?)" + _STRING_BODY + r")"
    r"|(?:\#[^\r\n]*|(?:[rRbBuU]|[rR][bB]|[bB][rR])?" + _STRING_BODY + r"|\\(?:\r\n|\r|\n))"
    r"|([(\[{])|([)\]}])|([,;])|(\r\n|\r|\n)"
    r"|(\*\*|//|<<|>>|->|:=|[-+*/%@&|^~<>!=.:])|([^\W\d]\w*)"
)
_NESTING_KEYWORDS = frozenset("not and or if else lambda await in is for yield".split())
_BRACKET = re.compile(r"[(\[{]|[)\]}]")


def _bracket_depth(fstring: str) -> int:
    depth = deepest = 0
    for match in _BRACKET.finditer(fstring):
        depth = depth + 1 if match.group() in "([{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def nesting_problem(text: str) -> Optional[Tuple[str, int]]:
    """(what, character offset) when ``text`` nests too deeply to be parsed, else None.

    A scan, not a parse: it counts open brackets, and the operators before each
    point of a comma-separated part of an expression, which bound how deep the
    parse tree there can be. Flat code (long lists, long files) passes. About
    5 MB/s, against LibCST's 0.2-0.4.
    """
    counts = [0]  # operators and brackets so far in the current part, per open bracket
    depth = total = 0  # open brackets, sum(counts)
    for match in _NESTING_TOKEN.finditer(text):
        found = match.lastindex
        if found == _WORD:
            if match.group() not in _NESTING_KEYWORDS:
                continue
            counts[depth] += 1
            total += 1
        elif found == _OPERATOR:
            counts[depth] += 1
            total += 1
        elif found == _OPEN:
            counts[depth] += 1
            total += 1
            depth += 1
            counts.append(0)
            if depth > MAX_BRACKET_DEPTH:
                return f"more than {MAX_BRACKET_DEPTH} nested brackets", match.start()
        elif found == _CLOSE:
            if depth:
                total -= counts.pop()
                depth -= 1
            continue
        elif found == _SEPARATOR or (found == _NEWLINE and not depth):
            total -= counts[depth]
            counts[depth] = 0
            continue
        elif found == _FSTRING:  # its replacement fields are parsed too
            if depth + _bracket_depth(match.group()) > MAX_BRACKET_DEPTH:
                return f"more than {MAX_BRACKET_DEPTH} nested brackets", match.start()
            continue
        else:  # a string, a comment, a line continuation, a newline inside brackets
            continue
        if total + depth > MAX_EXPRESSION_DEPTH:
            return f"an expression nested more than {MAX_EXPRESSION_DEPTH} levels deep", match.start()
    return None


@contextmanager
def alarm_held() -> Iterator[None]:
    """SIGALRM (the per-file time limit, engine.py) held back while CPython builds an AST.

    An exception raised inside the AST constructor by a signal handler comes out as
    SystemError ("AST constructor recursion depth mismatch"), not as itself: the file would be
    reported as an internal error instead of a timeout. Held, the alarm is delivered when the
    parse returns, and the FileTimeout is raised there."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def python_parse_error(text: str) -> Optional[BaseException]:
    """What CPython's own parser says of ``text`` (it only parses: nothing runs)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning: invalid escape sequence, ...
            with alarm_held():
                compile(text, "<linted file>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as exc:
        return exc
    return None


def is_nesting_error(exc: Optional[BaseException]) -> bool:
    """Whether CPython rejected the text for its depth rather than its syntax."""
    if isinstance(exc, (RecursionError, MemoryError)):
        return True
    message = str(getattr(exc, "msg", "") or "")
    return isinstance(exc, SyntaxError) and ("too many nested" in message or "too complex" in message)
