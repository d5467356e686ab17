"""The shapes of one file's models: from its export sites, the settings, or the default.

The per-file entry point the engine calls; a project index replaces
``sites`` with the sites of every file that exports this file's models.
"""

from __future__ import annotations

from typing import Iterable, Optional, Tuple

import libcst as cst

from exportlint.analysis.export_sites import ExportSite, export_sites, may_hold_export_site
from exportlint.analysis.flavours import DEFAULT_UNKNOWN, FileShapes, file_shapes
from exportlint.analysis.imports import ImportTable
from exportlint.analysis.models import ModelMap
from exportlint.depth import recursion_budget
from exportlint.parse import parse_source
from exportlint.source import nesting_problem


def sites_of_file(module: cst.Module, model_map: ModelMap, text: str) -> Tuple[ExportSite, ...]:
    if not may_hold_export_site(text):
        return ()
    return export_sites(module, model_map.imports)


def sites_of_text(text: str, module: str, is_package: bool) -> Tuple[ExportSite, ...]:
    """The export calls of a file's text, for its structure (which other files read).

    Only files whose text holds an export call are parsed (LibCST: the site reader is
    written against it); a file it cannot parse has no sites here, and its analysis
    reports why."""
    if not may_hold_export_site(text) or nesting_problem(text) is not None:
        return ()
    try:
        with recursion_budget():
            parsed = parse_source(text)
            return sites_of_file(parsed, ModelMap(parsed, imports=ImportTable(module, is_package)), text)
    except Exception:  # a parse error, or deep code the budget refuses: the analysis says so
        return ()


def shapes_of_file(module: cst.Module, model_map: ModelMap, text: str, path: str, settings,
                   sites: Optional[Iterable[ExportSite]] = None,
                   foreign_sites: Iterable[Tuple[str, ExportSite]] = ()) -> Optional[FileShapes]:
    """None when nothing is known (no site, no setting, default "unknown"): rules behave as without sites.

    ``sites``: this file's own (read here when None). ``foreign_sites``: (path of the file
    holding the call, site) for calls in other files that export a class of this file, with
    ``site.model`` set to the class's name in this file (``dataclasses.replace(site, model="Net")``).
    Same-file sites win over foreign ones; the first site of a class wins.
    """
    if sites is None:
        sites = sites_of_file(module, model_map, text)
    located = [(path, site) for site in sites] + list(foreign_sites)
    configured = dict(settings.dynamic_shapes)
    if not located and not configured and settings.default_dims == DEFAULT_UNKNOWN:
        return None
    return file_shapes(model_map, located, configured, settings.default_dims)
