"""Turning file bytes into text the way Python itself would, and the prefilter."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from typing import Optional


class UndecodableSource(Exception):
    """The bytes are not text in the encoding the file declares (PEP 263)."""


def decode(data: bytes) -> str:
    """Decode like the interpreter: BOM, then a coding cookie, then UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # unknown codec in the cookie, or BOM + other cookie
        raise UndecodableSource(str(exc)) from None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UndecodableSource(f"not valid {encoding}: {exc}") from None


# A file can only hold traced code if it defines a class or function and talks
# about torch or nn.Module; anything else is skipped without parsing.
_MENTIONS_TORCH = re.compile(r"\btorch\b|\bnn\b|\bModule\b")


def may_contain_models(text: str) -> bool:
    return ("class " in text or "def " in text) and _MENTIONS_TORCH.search(text) is not None


def python_parse_error(text: str) -> Optional[BaseException]:
    """What CPython's own parser says of ``text`` (it only parses: nothing runs)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning: invalid escape sequence, ...
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
