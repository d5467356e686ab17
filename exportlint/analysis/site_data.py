"""What an export call says, as plain data: the flavour of each declared dim, each
example input, the call itself. No LibCST here: the per-file structure caches
these and the project index carries them to the file that defines the model,
on runs that never load the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Tuple

# Flavours of a dim, as export treats it.
STATIC = "static"  # no spec, None, Dim.STATIC, or no dynamic_shapes at all
AUTO = "auto"  # Dim.AUTO: export infers; specialises silently where code forces it
DYNAMIC = "dynamic"  # Dim.DYNAMIC: like AUTO, but export errors if the dim turns static
NAMED = "named"  # Dim("t", ...), 2 * Dim("h"), d + 1: export must prove the code general
UNKNOWN = "unknown"  # a spec the analysis cannot read


@dataclass(frozen=True, slots=True)
class DimSpec:
    """How one dim of one input was declared. ``text`` is the spec as written."""

    flavour: str
    name: str = ""  # the Dim's name, for NAMED
    min: Optional[int] = None
    max: Optional[int] = None
    multiple: int = 1  # 2 * Dim("h") -> 2: sizes are multiples of this
    offset: int = 0  # Dim("d") + 1 -> 1
    text: str = ""

    @property
    def dynamic(self) -> bool:
        return self.flavour in (AUTO, DYNAMIC, NAMED)


STATIC_DIM = DimSpec(STATIC)
UNKNOWN_DIM = DimSpec(UNKNOWN)


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One example input of a site and what dynamic_shapes says about it.

    ``position`` is its index among the positional example inputs (None for a
    keyword input); ``keyword`` is its name when given by keyword or keyed by
    name in a dynamic_shapes dict. ``dims`` lists only the declared dims; the
    others are static. ``example``: "tensor", "int", "float", "bool", "str",
    "none", "class:<Name>" (an instance of a class), or "unknown".
    """

    position: Optional[int]
    keyword: str = ""
    dims: Tuple[Tuple[int, DimSpec], ...] = ()
    readable: bool = True  # False: the spec for this input could not be read
    example: str = "unknown"
    sizes: Optional[Tuple[Optional[int], ...]] = None  # literal example shape where visible (rank = len)
    line: int = 0  # where the example input is written, for messages


@dataclass(frozen=True, slots=True)
class ExportSite:
    """One call that exports a model. ``model`` is the class as this file's
    imports qualify it ("pkg.models.Net") or a local class name ("Net");
    "" when unknown. ``dynamic_shapes``: "none" (not given or None: every dim
    static), "read" (parsed; see ``inputs``) or "unreadable"."""

    function: str
    line: int
    column: int
    model: str
    strict: Optional[bool]
    dynamic_shapes: str
    inputs: Tuple[InputSpec, ...]
    via: str = ""  # the same-file wrapper the call goes through, if any

    @property
    def where(self) -> str:
        return f"line {self.line}"

    def to_json(self) -> list:
        """Plain JSON, for the per-file structure (cached) and the facts other files get."""
        return [self.function, self.line, self.column, self.model, self.strict, self.dynamic_shapes,
                [_input_to_json(spec) for spec in self.inputs], self.via]

    @classmethod
    def from_json(cls, data: list) -> "ExportSite":
        """Raises (TypeError, ValueError) on data of the wrong shape: a cache treats that as a miss."""
        function, line, column, model, strict, state, inputs, via = data
        return cls(str(function), int(line), int(column), str(model), None if strict is None else bool(strict),
                   str(state), tuple(_input_from_json(i) for i in inputs), str(via))


def _input_to_json(spec: InputSpec) -> list:
    dims = [[index, [d.flavour, d.name, d.min, d.max, d.multiple, d.offset, d.text]] for index, d in spec.dims]
    sizes = None if spec.sizes is None else list(spec.sizes)
    return [spec.position, spec.keyword, dims, spec.readable, spec.example, sizes, spec.line]


def _optional_int(value) -> Optional[int]:
    return None if value is None else int(value)


def _input_from_json(data: list) -> InputSpec:
    position, keyword, dims, readable, example, sizes, line = data
    return InputSpec(
        _optional_int(position), str(keyword),
        tuple((int(i), DimSpec(str(f), str(n), _optional_int(lo), _optional_int(hi), int(m), int(o), str(t)))
              for i, (f, n, lo, hi, m, o, t) in dims),
        bool(readable), str(example), None if sizes is None else tuple(_optional_int(s) for s in sizes), int(line),
    )


# Starts with a literal, so the regex engine scans for "export" at C speed; what stands
# before a match is checked by hand (a leading \b made the search ~15x slower: 2% of a cold run).
_EXPORT_CALL = re.compile(r"export(_for_training)?\s*\(")


def _is_word_character(text: str, at: int) -> bool:
    return at >= 0 and (text[at].isalnum() or text[at] == "_")


def may_hold_export_site(text: str) -> bool:
    """Cheap text test before reading sites: does this file call an export function
    (``export``, ``export_for_training`` or ``draft_export``, as whole names)?
    (`is_exporting()` and friends do not match.)"""
    if "torch" not in text:
        return False
    for match in _EXPORT_CALL.finditer(text):
        start = match.start()
        if not _is_word_character(text, start - 1):
            return True
        if match.group(1) is None and text.endswith("draft_", 0, start) and not _is_word_character(text, start - 7):
            return True
    return False
