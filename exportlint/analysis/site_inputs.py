"""Questions rules ask about an export site's example inputs (helpers, no rule here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterator, Optional, Tuple

import libcst as cst

from exportlint.analysis.export_sites import DimSpec, ExportSite, InputSpec
from exportlint.analysis.flavours import forward_params
from exportlint.analysis.models import ModelMap
from exportlint.analysis.parameters import _literal_default
from exportlint.tree_from_ast import source_code


@dataclass(frozen=True)
class SiteModel:
    """What a site's rules need of the exported model's forward, wherever the class is defined."""

    params: Tuple[str, ...]  # without self
    literal_defaults: Tuple[Tuple[str, str], ...] = ()  # (parameter, default as written)


def forward_of(site: ExportSite, model_map: ModelMap) -> Optional[cst.FunctionDef]:
    info = model_map.classes.get(site.model)
    return info.methods.get("forward") if info is not None else None


def site_model(site: ExportSite, ctx) -> Optional[SiteModel]:
    """The model's forward: from this file's class, else from the project (``ctx.site_model``)."""
    forward = forward_of(site, ctx.model_map)
    if forward is None:
        foreign = ctx.site_model(site.model)
        return SiteModel(*foreign) if foreign is not None else None
    names = forward_params(forward)
    params = list(forward.params.posonly_params) + list(forward.params.params)
    params = params[1:] + list(forward.params.kwonly_params)
    defaults = tuple(
        (name, source_code(param.default))
        for name, param in zip(names, params) if _literal_default(param.default)
    )
    return SiteModel(tuple(names), defaults)


def _param_names(site: ExportSite, ctx) -> Tuple[str, ...]:
    model = site_model(site, ctx)
    return model.params if model is not None else ()


def input_name(site: ExportSite, spec: InputSpec, ctx) -> str:
    """`x` (forward's parameter) or `argument 0` when the model's forward is not known."""
    if spec.keyword:
        return f"`{spec.keyword}`"
    names = _param_names(site, ctx)
    if spec.position is not None and spec.position < len(names):
        return f"`{names[spec.position]}`"
    return f"argument {spec.position}"


def examples_with_dims(site: ExportSite, ctx) -> Iterator[Tuple[InputSpec, Dict[int, DimSpec]]]:
    """Each example input with visible sizes, and the dims declared for it (by position or by name)."""
    names = _param_names(site, ctx)
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
