"""The rule registry: the one table of codes. Docs are generated from it.

Every module in this package defines one ``Rule`` subclass; they are found by
scanning the package, so adding a rule is adding a file.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Dict, List, Tuple, Type

from exportlint.rule import Rule


def _discover() -> Tuple[Type[Rule], ...]:
    found: List[Type[Rule]] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return tuple(sorted(found, key=lambda rule: rule.meta.code))


ALL_RULES: Tuple[Type[Rule], ...] = _discover()
RULES_BY_CODE: Dict[str, Type[Rule]] = {rule.meta.code: rule for rule in ALL_RULES}
if len(RULES_BY_CODE) != len(ALL_RULES):
    raise RuntimeError("two rules share a code")
