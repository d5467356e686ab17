"""The case catalog: one module per case, each defining ``CASE``."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Dict

from exportlint.cases._case import EXPORTS, FAILS, SPECIALIZES, Case, Outcome

__all__ = ["Case", "Outcome", "EXPORTS", "FAILS", "SPECIALIZES", "all_cases"]

_CACHE: Dict[str, Case] = {}


def all_cases() -> Dict[str, Case]:
    """Every case, by name, in name order."""
    if not _CACHE:
        found = {}
        for info in pkgutil.iter_modules(__path__):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{__name__}.{info.name}")
            case = module.CASE
            assert case.name == info.name, f"case {case.name} lives in {info.name}.py"
            found[case.name] = case
        _CACHE.update(sorted(found.items()))
    return dict(_CACHE)
