"""LibCST's parse without its per-node validation.

Every node LibCST builds runs ``_validate()`` from its ``__post_init__``: checks
that a hand-built node is well formed (a name is an identifier, an operator has
the whitespace it needs). Nodes made by the parser from source text are well
formed by construction but for one check the grammar leaves to validation
(string and bytes literals concatenated: ``'a' b'b'``, a syntax error to
CPython too), and the checks are about a tenth of the parse. So exportlint's
parses skip them but that one; nodes built anywhere else (fixes) are still
checked, and a fix's new text is parsed again before it is written.
"""

from __future__ import annotations

import libcst as cst
from libcst._nodes.base import CSTNode


def _not_checked(self: CSTNode) -> None:
    pass


def parse_source(text: str) -> cst.Module:
    """``cst.parse_module(text)``, its nodes not validated one by one (the same tree).

    The switch is process-wide for the length of the parse: another thread building
    nodes meanwhile skips the check too, which loses only a debugging aid."""
    checked = CSTNode.__post_init__
    keeps_its_own = "__post_init__" in cst.ConcatenatedString.__dict__  # not in LibCST 1.9; if so, left alone
    CSTNode.__post_init__ = _not_checked
    if not keeps_its_own:
        cst.ConcatenatedString.__post_init__ = checked
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = checked
        if not keeps_its_own:
            del cst.ConcatenatedString.__post_init__
