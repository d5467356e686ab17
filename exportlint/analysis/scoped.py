"""What an analysis or a rule knows of local names, per traced scope.

Rules and analyses follow facts the kinds do not hold (a name bound to a rounded size,
to a tuple of tensors, to a dim the code fixed). A fact is recorded in the scope the name
is bound in; reading a name finds the nearest enclosing scope that binds it, and a scope
that binds the name to something else hides the outer fact. Scopes are keyed by identity
(``Scope`` defines no equality), so a freed scope's id reused later never finds its facts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Generic, Optional, TypeVar

if TYPE_CHECKING:  # kinds.py uses this module
    from exportlint.analysis.kinds import Scope

Fact = TypeVar("Fact")


class ScopedFacts(Generic[Fact]):
    def __init__(self) -> None:
        self._by_scope: Dict[Scope, Dict[str, Fact]] = {}

    def here(self, scope: Scope) -> Dict[str, Fact]:
        """The facts recorded in ``scope`` itself (a table to update)."""
        facts = self._by_scope.get(scope)
        if facts is None:
            facts = self._by_scope[scope] = {}
        return facts

    def record(self, scope: Scope, name: str, fact: Optional[Fact]) -> None:
        """``name``, bound in ``scope``, has ``fact``; None: nothing known of it any more."""
        if fact is None:
            self.here(scope).pop(name, None)
        else:
            self.here(scope)[name] = fact

    def get(self, scope: Optional[Scope], name: str) -> Optional[Fact]:
        """The fact of ``name`` as seen from ``scope``: from the nearest scope binding it."""
        while scope is not None:
            facts = self._by_scope.get(scope)
            if facts is not None and name in facts:
                return facts[name]
            if name in scope.names:
                return None  # bound here to something nothing was recorded of
            scope = scope.parent
        return None
