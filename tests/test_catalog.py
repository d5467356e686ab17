"""Every case is checked against the installed torch.export, and against the linter.

For each case and mode: export the bad model and the rewrite, compare with what
the case claims for this torch; lint both sources and check that the linked
rules fire where the case marks them (when the rule claims anything for this
torch and mode) and nowhere on the rewrite. A rule's claim and the case's
measured outcome must agree: a rule that says "fails" needs a case that fails.
"""

import pytest
import torch  # noqa: F401  (the test extra installs it: missing, the suite fails, never skips)

from conftest import settings
from exportlint.cases import EXPORTS, FAILS, SPECIALIZES, all_cases
from exportlint.engine import lint_text
from exportlint.measure import measure
from exportlint.rule import FAILS as RULE_FAILS
from exportlint.rules import RULES_BY_CODE
from exportlint.target import Target, installed_torch

TORCH = installed_torch()
CASES = all_cases()
MODES = ("strict", "non-strict")
PARAMS = [(name, mode) for name in CASES for mode in MODES]


def _target(mode):
    return settings(target_torch=str(TORCH), strict=(mode == "strict"))


@pytest.mark.parametrize("name,mode", PARAMS)
def test_bad_model_behaves_as_the_case_says(name, mode):
    case = CASES[name]
    expected = case.outcome(TORCH, mode)
    measured = measure(case, strict=(mode == "strict"))
    agrees, why = measured.agrees_with(expected)
    assert agrees, f"{name} ({mode}, torch {TORCH}): {why}"


@pytest.mark.parametrize("name,mode", [(n, m) for n, m in PARAMS if CASES[n].fixed])
def test_rewrite_behaves_as_the_case_says(name, mode):
    case = CASES[name]
    expected = case.outcome(TORCH, mode, fixed=True)
    measured = measure(case, strict=(mode == "strict"), fixed=True)
    agrees, why = measured.agrees_with(expected)
    assert agrees, f"{name} rewrite ({mode}, torch {TORCH}): {why}"


def _expected_marks(case, mode):
    """Marked lines whose rule speaks about this torch and mode."""
    target = _target(mode).target
    marks = {}
    for line, codes in case.expected_findings().items():
        live = [c for c in codes if RULES_BY_CODE[c].meta.behaviour_for(target) is not None]
        if live:
            marks[line] = sorted(live)
    return marks


@pytest.mark.parametrize("name,mode", PARAMS)
def test_linter_flags_the_marked_lines(name, mode):
    case = CASES[name]
    found = lint_text(case.bad, f"{name}.py", _target(mode))
    got = {}
    for d in found:
        got.setdefault(d.line, []).append(d.code)
    assert {k: sorted(v) for k, v in got.items()} == _expected_marks(case, mode)


@pytest.mark.parametrize("name,mode", [(n, m) for n, m in PARAMS if CASES[n].fixed])
def test_linter_is_silent_on_the_rewrite(name, mode):
    case = CASES[name]
    assert lint_text(case.fixed, f"{name}_fixed.py", _target(mode)) == []


@pytest.mark.parametrize("name,mode", PARAMS)
def test_rule_claim_matches_case_outcome(name, mode):
    """Where a linked rule fires it must say what export really does here."""
    case = CASES[name]
    target = Target(TORCH, mode == "strict")
    outcome = case.outcome(TORCH, mode)
    assert outcome is not None, f"{name}: no expected outcome for torch {TORCH} {mode}"
    for code in case.rules:
        behaviour = RULES_BY_CODE[code].meta.behaviour_for(target)
        if behaviour is None:
            assert outcome.result == EXPORTS, f"{code} is silent but {name} {outcome.result} on {TORCH} {mode}"
        elif behaviour.outcome == RULE_FAILS:
            assert outcome.result == FAILS, f"{code} says fails but {name} {outcome.result}"
        else:
            assert outcome.result == SPECIALIZES, f"{code} says specializes but {name} {outcome.result}"


def test_every_rule_links_to_a_case_that_exists():
    from exportlint.rules import ALL_RULES

    for rule in ALL_RULES:
        for name in rule.meta.cases:
            assert name in CASES, f"{rule.meta.code} links to missing case {name}"
            assert rule.meta.code in CASES[name].rules


# Variants: the same bad model exported with other dynamic shapes ----------------
VARIANTS = [(name, v.label, mode) for name in CASES for v in CASES[name].variants for mode in MODES]


def _variant(name, label):
    return next(v for v in CASES[name].variants if v.label == label)


@pytest.mark.parametrize("name,label,mode", VARIANTS)
def test_variant_behaves_as_the_case_says(name, label, mode):
    case, variant = CASES[name], _variant(name, label)
    measured = measure(case, strict=(mode == "strict"), variant=variant)
    agrees, why = measured.agrees_with(variant.outcome(TORCH, mode))
    assert agrees, f"{name} [{label}] ({mode}, torch {TORCH}): {why}"


@pytest.mark.parametrize("name,label,mode", VARIANTS)
def test_linter_reads_the_variant_export_call(name, label, mode):
    """With the export call in the file, the marked lines get the variant's codes, and only those."""
    case, variant = CASES[name], _variant(name, label)
    source = case.with_site(case.bad, variant.dynamic_shapes)
    found = lint_text(source, f"{name}_{label}.py", _target(mode))
    got = {}
    for d in found:
        got.setdefault(d.line, []).append(d.code)
    target = _target(mode).target
    expected = {}
    for line, codes in case.expected_findings(variant.expect).items():
        live = sorted(c for c in codes if RULES_BY_CODE[c].meta.behaviour_for(target) is not None)
        if live:
            expected[line] = live
    site_line = len(source.splitlines())
    at_site = sorted(c for c in variant.expect_at_site if RULES_BY_CODE[c].meta.behaviour_for(target) is not None)
    if at_site:
        expected[site_line] = at_site
    assert {k: sorted(v) for k, v in got.items()} == expected


@pytest.mark.parametrize("name,mode", [(n, m) for n, m in PARAMS if CASES[n].variants and CASES[n].fixed])
def test_linter_is_silent_on_the_rewrite_with_its_export_call(name, mode):
    case = CASES[name]
    source = case.with_site(case.fixed, case.fixed_shapes, case.fixed_inputs)
    assert lint_text(source, f"{name}_fixed_site.py", _target(mode)) == []
