"""Questions rules ask about an export site's example inputs (helpers, no rule here)."""

from __future__ import annotations

from typing import Dict, Iterator, Optional, Tuple

import libcst as cst

from exportlint.analysis.export_sites import DimSpec, ExportSite, InputSpec
from exportlint.analysis.flavours import forward_params
from exportlint.analysis.models import ModelMap


def forward_of(site: ExportSite, model_map: ModelMap) -> Optional[cst.FunctionDef]:
    info = model_map.classes.get(site.model)
    return info.methods.get("forward") if info is not None else None


def input_name(site: ExportSite, spec: InputSpec, model_map: ModelMap) -> str:
    """`x` (forward's parameter) or `argument 0` when the model is not in this file."""
    if spec.keyword:
        return f"`{spec.keyword}`"
    forward = forward_of(site, model_map)
    names = forward_params(forward) if forward is not None else []
    if spec.position is not None and spec.position < len(names):
        return f"`{names[spec.position]}`"
    return f"argument {spec.position}"


def examples_with_dims(site: ExportSite, model_map: ModelMap) -> Iterator[Tuple[InputSpec, Dict[int, DimSpec]]]:
    """Each example input with visible sizes, and the dims declared for it (by position or by name)."""
    forward = forward_of(site, model_map)
    names = forward_params(forward) if forward is not None else []
    declared: Dict[object, Dict[int, DimSpec]] = {}
    for spec in site.inputs:
        key = spec.keyword or (names[spec.position] if spec.position is not None and spec.position < len(names)
                               else spec.position)
        if spec.dims:
            declared[key] = dict(spec.dims)
    for spec in site.inputs:
        if spec.sizes is None:
            continue
        key = spec.keyword or (names[spec.position] if spec.position is not None and spec.position < len(names)
                               else spec.position)
        yield spec, declared.get(key, {})
