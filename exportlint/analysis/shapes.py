"""The shapes of one file's models: from its export sites, the settings, or the default.

The per-file entry point the engine calls; a project index replaces
``sites`` with the sites of every file that exports this file's models.
"""

from __future__ import annotations

from typing import Iterable, Optional, Tuple

import libcst as cst

from exportlint.analysis.export_sites import ExportSite, export_sites, may_hold_export_site
from exportlint.analysis.flavours import DEFAULT_UNKNOWN, FileShapes, file_shapes
from exportlint.analysis.models import ModelMap


def sites_of_file(module: cst.Module, model_map: ModelMap, text: str) -> Tuple[ExportSite, ...]:
    if not may_hold_export_site(text):
        return ()
    return export_sites(module, model_map.imports)


def shapes_of_file(module: cst.Module, model_map: ModelMap, text: str, path: str, settings,
                   sites: Optional[Iterable[ExportSite]] = None) -> Optional[FileShapes]:
    """None when nothing is known (no site, no setting, default "unknown"): rules behave as without sites."""
    if sites is None:
        sites = sites_of_file(module, model_map, text)
    sites = tuple(sites)
    configured = dict(settings.dynamic_shapes)
    if not sites and not configured and settings.default_dims == DEFAULT_UNKNOWN:
        return None
    return file_shapes(model_map, sites, path, configured, settings.default_dims)
