"""Claims come from measurements: the data file, and what the rules derive from it.

No torch here: these read exportlint/data/outcomes.json (bench/sweep.py writes
it) and the cases' hand rows.
"""

import dataclasses

import pytest
from packaging.version import Version

from exportlint import measured
from exportlint.cases import EXPORTS, FAILS, SPECIALIZES, Outcome, all_cases
from exportlint.cases._case import CRASHED, first_clause
from exportlint.claims import _derive
from exportlint.rule import RuleMeta
from exportlint.rules import RULES_BY_CODE

CASES = all_cases()
RELEASES = measured.measured_releases()


def test_the_data_file_holds_measured_releases():
    assert RELEASES, "exportlint/data/outcomes.json is missing or empty: run bench/sweep.py"
    for release in RELEASES:
        info = measured.release_info(release)
        assert info["torch"].split("+")[0] == str(release), f"{release} was measured on torch {info['torch']}"


@pytest.mark.parametrize("release", RELEASES, ids=str)
def test_every_row_is_a_known_result(release):
    for name in CASES:
        for variant in CASES[name].forms():
            for mode in ("strict", "non-strict"):
                row = measured.row(release, name, variant, mode)
                assert row is None or row["result"] in (EXPORTS, FAILS, SPECIALIZES, CRASHED), (name, row)
                if row and row["result"] == FAILS:
                    assert row.get("error"), f"{name} {variant} {mode} on {release}: a failure without its class"


@pytest.mark.parametrize("release", RELEASES, ids=str)
def test_every_case_of_the_catalog_is_measured_in_its_current_form(release):
    """The data file holds every form of every case, as the case is written now
    (the fingerprint of its sources, inputs and shapes)."""
    recorded = measured._releases()[str(release)]["cases"]
    stale = [name for name, case in CASES.items()
             if recorded.get(name, {}).get("fingerprints") != {f: case.fingerprint(f) for f in case.forms()}]
    assert not stale, f"torch {release}: not measured as written now: {stale}; run `python bench/sweep.py {release}`"


def _hand_rows_measured_on(case, release):
    return [o for o in case.bad_outcomes if str(release) in o.measured_on.replace(" ", "").split(",")]


@pytest.mark.parametrize("name", sorted(CASES))
def test_hand_rows_agree_with_the_sweep_where_both_measured(name):
    """A case's hand rows stay only for releases the sweep has not measured;
    where they name a measured release they must say what the sweep found."""
    case = CASES[name]
    for release in RELEASES:
        if not measured.has_case(release, name) or not _hand_rows_measured_on(case, release):
            continue
        for mode in ("strict", "non-strict"):
            hand = case.hand_outcome(release, mode)
            row = measured.row(release, name, "bad", mode)
            if hand is None or row is None:
                continue
            assert hand.result == row["result"], f"{name} {mode} on {release}: hand row {hand.result}, sweep {row}"


def test_a_case_the_sweep_has_not_measured_speaks_through_its_hand_rows():
    new = dataclasses.replace(
        CASES["dynamic_shape_round"], name="not_swept_yet",
        bad_outcomes=(Outcome(SPECIALIZES, versions=">=2.13", measured_on="2.13.0"),),
    )
    assert new.measured_outcome(Version("2.13"), "strict") is None
    assert new.outcome(Version("2.13"), "strict").result == SPECIALIZES
    assert new.outcome(Version("2.12"), "strict") is None


def test_a_swept_case_speaks_through_the_data_file(monkeypatch):
    case = CASES["dynamic_shape_round"]
    row = {"result": FAILS, "error": "UserError", "message": "Constraints violated (seq)! For more information"}
    monkeypatch.setattr(measured, "row", lambda *a: row)
    outcome = case.outcome(RELEASES[-1], "strict")
    assert (outcome.result, outcome.error, outcome.match) == (FAILS, "UserError", "Constraints violated")
    assert outcome.measured_on == str(RELEASES[-1])


def _meta(*cases):
    return RuleMeta("EXP999", "test-rule", "s", "w", "i", cases, specializes="bakes it in")


def test_the_strongest_case_wins_and_the_message_says_some_forms(monkeypatch):
    results = {"a": {"result": FAILS, "error": "UserError", "message": "Constraints violated (x)"},
               "b": {"result": EXPORTS}}
    monkeypatch.setattr(measured, "row", lambda release, name, *a: results[name])
    monkeypatch.setattr("exportlint.claims.load_case", lambda name: dataclasses.replace(
        CASES["static_if"], name=name))
    behaviour = _derive(_meta("a", "b"), RELEASES[-1], "strict")
    assert behaviour.outcome == FAILS and behaviour.some_forms and behaviour.cases == ("a",)
    assert behaviour.effect == 'fails in some forms (UserError: "Constraints violated")'
    results["b"] = {"result": SPECIALIZES}  # the forms that do not fail bake a value in: the message says so
    assert _derive(_meta("a", "b"), RELEASES[-1], "strict").effect == (
        'fails in some forms (UserError: "Constraints violated"), and in others bakes it in')
    results["b"] = {"result": FAILS, "error": "UserError", "message": "Constraints violated (y)"}
    assert _derive(_meta("a", "b"), RELEASES[-1], "strict").effect == 'fails (UserError: "Constraints violated")'


def test_specializes_is_a_warning_exports_is_silence_crashed_is_no_claim(monkeypatch):
    results = {}
    monkeypatch.setattr(measured, "row", lambda release, name, *a: results[name])
    monkeypatch.setattr("exportlint.claims.load_case", lambda name: dataclasses.replace(
        CASES["static_if"], name=name))
    results.update(a={"result": SPECIALIZES}, b={"result": CRASHED, "error": "AttributeError"})
    behaviour = _derive(_meta("a", "b"), RELEASES[-1], "strict")
    assert behaviour.severity.value == "warning" and behaviour.effect == "bakes it in" and not behaviour.some_forms
    results.update(a={"result": EXPORTS})
    assert _derive(_meta("a", "b"), RELEASES[-1], "strict") is None
    results.update(a={"result": CRASHED})
    assert _derive(_meta("a", "b"), RELEASES[-1], "strict") is None


def test_error_fragments_are_short_and_stable():
    assert first_clause("Could not guard on data-dependent expression Eq(u0, 1) (unhinted: Eq(u0, 1))") == (
        "Could not guard on data-dependent expression Eq(u0, 1)")
    assert first_clause("Data-dependent branching Explanation: Detected data-dependent") == "Data-dependent branching"
    assert len(first_clause("word " * 100)) <= 72
    assert first_clause("Consider annotating your code using torch._check*(). Could not extract specialized "
                        "integer from data-dependent expression u0 (unhinted: u0)") == (
        "Could not extract specialized integer from data-dependent expression u0")


@pytest.mark.parametrize("target,release,exact", [("2.13", "2.13.0", True), ("2.13.5", "2.13.0", True)])
def test_a_target_maps_to_the_release_measured_for_its_minor(target, release, exact):
    if Version(release) not in RELEASES:
        pytest.fail(f"torch {release} is not in the data file")
    assert measured.release_for(Version(target)) == (Version(release), exact)


def test_an_unmeasured_target_uses_the_nearest_measured_release():
    assert measured.release_for(Version("2.99")) == (RELEASES[-1], False)
    assert measured.release_for(Version("2.1")) == (RELEASES[0], False)


def test_every_rule_claims_what_its_code_says_on_some_measured_release():
    """EXP1xx: export fails, EXP2xx: it specialises, on at least one measured
    release and mode (a rule silent everywhere measures nothing)."""
    for code, rule in RULES_BY_CODE.items():
        outcomes = {b.outcome for r in RELEASES for m in ("strict", "non-strict") for b in [_derive(rule.meta, r, m)]
                    if b}
        expected = FAILS if code.startswith("EXP1") else SPECIALIZES
        assert expected in outcomes, f"{code} never {expected} on {', '.join(map(str, RELEASES))}: {outcomes}"
