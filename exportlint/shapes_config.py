"""`[tool.exportlint.dynamic-shapes]`: dynamic dims of models exported elsewhere.

    [tool.exportlint]
    default-dims = "unknown"          # or "static", "auto": models with no site and no entry

    [tool.exportlint.dynamic-shapes."pkg.models.Net"]   # or "Net", or "pkg.models.Net.forward"
    input_ids = { 1 = "Dim('seq', max=4096)" }        # dim index -> spec, as written for export
    pixel_values = ["None", "None", "Dim.AUTO", "Dim.AUTO"]   # or one spec per dim
    attention_mask = "None"                           # every dim static

Specs are the same expressions export takes: `Dim("t", min=, max=)`, `2 * Dim("h")`,
`Dim.AUTO`, `Dim.DYNAMIC`, `Dim.STATIC`, `None`. Parameters not listed are static.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Tuple

if TYPE_CHECKING:
    from exportlint.analysis.export_sites import DimSpec
    from exportlint.analysis.flavours import ModelShapes, ParamShape

# LibCST and the analysis are imported only when the table is there: a fully
# cached run reads the settings but never needs LibCST.
ORIGIN = "[tool.exportlint.dynamic-shapes]"
DEFAULTS = ("unknown", "static", "auto")  # as in analysis.flavours


class ShapesConfigError(ValueError):
    """A value of the dynamic-shapes settings that cannot be read."""


def _reader():
    import libcst as cst

    from exportlint.analysis.export_sites import _SiteReader
    from exportlint.analysis.imports import ImportTable

    module = cst.parse_module("import torch\nfrom torch.export import Dim\n")
    imports = ImportTable()
    for stmt in module.body:
        small = stmt.body[0]
        imports.add_import(small) if isinstance(small, cst.Import) else imports.add_import_from(small)
    return _SiteReader(module, imports)


def parse_dim(text: Any, where: str) -> "DimSpec":
    import libcst as cst

    from exportlint.analysis.export_sites import NAMED, UNKNOWN, _Env

    if not isinstance(text, str):
        raise ShapesConfigError(f"{where}: a dim spec must be a string such as \"Dim('t', max=128)\" or \"Dim.AUTO\"")
    try:
        node = cst.parse_expression(text)
    except Exception:
        raise ShapesConfigError(f"{where}: cannot parse {text!r}") from None
    spec = _reader()._dim(node, _Env())
    if spec.flavour == UNKNOWN or (spec.flavour == NAMED and not spec.name):
        raise ShapesConfigError(
            f"{where}: {text!r} is not a dim spec (Dim('t', min=, max=), 2 * Dim('h'), Dim.AUTO, "
            f"Dim.DYNAMIC, Dim.STATIC or None)"
        )
    return spec


def _param(name: str, value: Any, where: str) -> "ParamShape":
    from exportlint.analysis.export_sites import STATIC
    from exportlint.analysis.flavours import ParamShape

    if isinstance(value, str):
        spec = parse_dim(value, where)
        if spec.flavour != STATIC:
            raise ShapesConfigError(f"{where}: give dims by index ({{ 1 = {value!r} }}) or one per dim in a list")
        return ParamShape(name)
    if isinstance(value, dict):
        dims = []
        for key, text in value.items():
            if not str(key).lstrip("-").isdigit():
                raise ShapesConfigError(f"{where}: dim keys are indices (0, 1, ...), not {key!r}")
            dims.append((int(key), parse_dim(text, f"{where}.{key}")))
        return ParamShape(name, tuple(sorted((i, d) for i, d in dims if d.flavour != STATIC)))
    if isinstance(value, list):
        dims = [(i, parse_dim(text, f"{where}[{i}]")) for i, text in enumerate(value)]
        return ParamShape(name, tuple((i, d) for i, d in dims if d.flavour != STATIC), rank=len(value))
    raise ShapesConfigError(f"{where}: expected a table of dim index -> spec, a list of specs, or \"None\"")


def parse_dynamic_shapes(table: Any) -> Tuple[Tuple[str, "ModelShapes"], ...]:
    """The validated settings, as hashable data: ((model key, shapes), ...)."""
    from exportlint.analysis.flavours import ModelShapes

    if not isinstance(table, dict):
        raise ShapesConfigError("dynamic-shapes must be a table keyed by model class")
    out = []
    for key, params in table.items():
        where = f"dynamic-shapes.{key}"
        if not isinstance(params, dict):
            raise ShapesConfigError(f"{where}: expected a table of forward parameter -> dims")
        shapes = tuple(_param(name, value, f"{where}.{name}") for name, value in params.items())
        out.append((key, ModelShapes(ORIGIN, shapes)))
    return tuple(out)


def parse_default(value: Any) -> str:
    if value not in DEFAULTS:
        raise ShapesConfigError(f"default-dims must be one of {', '.join(repr(d) for d in DEFAULTS)}, not {value!r}")
    return value


def as_dict(configured: Tuple[Tuple[str, "ModelShapes"], ...]) -> Dict[str, "ModelShapes"]:
    return dict(configured)
