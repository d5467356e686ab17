"""ScopedFacts: what rules and analyses record of local names, per traced scope."""

from exportlint.analysis.kinds import Kind, Scope
from exportlint.analysis.scoped import ScopedFacts


def test_a_fact_is_seen_from_nested_scopes_until_a_binding_hides_it():
    outer = Scope()
    outer.names["n"] = Kind.SIZE
    inner = Scope(outer)
    facts: ScopedFacts[str] = ScopedFacts()
    facts.record(outer, "n", "rounded")
    assert facts.get(outer, "n") == "rounded"
    assert facts.get(inner, "n") == "rounded"  # a closure reads the enclosing function's name
    inner.names["n"] = Kind.TENSOR  # rebound inside: the outer fact no longer applies
    assert facts.get(inner, "n") is None
    assert facts.get(outer, "n") == "rounded"


def test_recording_none_forgets_and_here_is_the_scopes_own_table():
    scope = Scope()
    facts: ScopedFacts[bool] = ScopedFacts()
    facts.record(scope, "t", True)
    assert facts.here(scope) == {"t": True}
    facts.record(scope, "t", None)
    assert facts.get(scope, "t") is None and facts.here(scope) == {}
    facts.here(scope)["u"] = True
    assert facts.get(scope, "u") is True


def test_scopes_are_told_apart_by_identity_not_content():
    first, second = Scope(), Scope()
    facts: ScopedFacts[int] = ScopedFacts()
    facts.record(first, "x", 1)
    assert facts.get(second, "x") is None
