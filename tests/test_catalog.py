"""Every case is checked against the installed torch.export, and against the linter.

For each case and mode: export the bad model, the rewrite and each variant, and
compare with the data file's row for this torch release
(exportlint/data/outcomes.json, written by bench/sweep.py; a case the sweep has
not measured yet: its hand rows), so a new torch in CI shows what moved; lint
both sources and check that the linked rules fire where the case marks them
(when the rule claims anything for this torch and mode) and nowhere on the
rewrite. A rule's claim is derived from its cases: it must be the strongest of
their outcomes here.
"""

import pytest
import torch  # noqa: F401  (the test extra installs it: missing, the suite fails, never skips)

from conftest import settings
from exportlint import measured
from exportlint.cases import all_cases
from exportlint.cases._case import STRENGTH
from exportlint.claims import rule_forms
from exportlint.engine import lint_text
from exportlint.measure import measure
from exportlint.rules import RULES_BY_CODE
from exportlint.target import Target, installed_torch

TORCH = installed_torch()
CASES = all_cases()
MODES = ("strict", "non-strict")
PARAMS = [(name, mode) for name in CASES for mode in MODES]


def _target(mode):
    return settings(target_torch=str(TORCH), strict=(mode == "strict"))


def _source(case, form="bad"):
    release, exact = measured.release_for(TORCH)
    if case.measured_outcome(TORCH, "strict", form) is None:
        return "the case's hand rows (not in the data file yet)"
    where = f"torch {release}" if exact else f"torch {release}, the nearest measured release"
    return f"the data file's row for {where}; if torch moved, run `python bench/sweep.py --force {TORCH}`"


def test_the_installed_torch_release_is_in_the_data_file():
    release, exact = measured.release_for(TORCH)
    assert exact, f"torch {TORCH} was never measured: run `python bench/sweep.py {TORCH}` and commit the data file"


@pytest.mark.parametrize("name", list(CASES))
def test_every_form_of_the_case_is_in_the_data_file_for_the_installed_torch(name):
    release, _ = measured.release_for(TORCH)
    missing = [(form, mode) for form in CASES[name].forms() for mode in MODES
               if measured.row(release, name, form, mode) is None]
    assert not missing, f"{name}: not measured on torch {release}: {missing}; run `python bench/sweep.py {release}`"


@pytest.mark.parametrize("name,mode", PARAMS)
def test_bad_model_behaves_as_measured(name, mode):
    case = CASES[name]
    expected = case.outcome(TORCH, mode)
    found = measure(case, strict=(mode == "strict"))
    agrees, why = found.agrees_with(expected)
    assert agrees, f"{name} ({mode}, torch {TORCH}) against {_source(case)}: {why}"


@pytest.mark.parametrize("name,mode", [(n, m) for n, m in PARAMS if CASES[n].fixed])
def test_rewrite_behaves_as_measured(name, mode):
    case = CASES[name]
    expected = case.outcome(TORCH, mode, fixed=True)
    found = measure(case, strict=(mode == "strict"), fixed=True)
    agrees, why = found.agrees_with(expected)
    assert agrees, f"{name} rewrite ({mode}, torch {TORCH}) against {_source(case, 'fixed')}: {why}"


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
def test_rule_claim_is_the_strongest_outcome_of_its_cases(name, mode):
    """Where a linked rule fires it says what export really does here: the
    strongest outcome among the forms of its cases it speaks of, and "in some
    forms" when they differ."""
    target = Target(TORCH, mode == "strict")
    for code in CASES[name].rules:
        meta = RULES_BY_CODE[code].meta
        behaviour = meta.behaviour_for(target)
        results = [CASES[n].form_outcome(TORCH, mode, form) for n, form in rule_forms(meta)]
        assert all(o is not None for o in results), f"{code}: a form of its cases has no outcome on {TORCH} {mode}"
        strengths = [STRENGTH[o.result] for o in results if o.result in STRENGTH]  # crashed: no claim
        if behaviour is None:
            assert max(strengths, default=0) == 0, f"{code} is silent but its cases {results} on {TORCH} {mode}"
            continue
        assert STRENGTH[behaviour.outcome] == max(strengths)
        assert behaviour.some_forms == (min(strengths) < max(strengths)), f"{code}: {behaviour.effect}"


def test_every_rule_links_to_a_case_that_exists():
    from exportlint.rules import ALL_RULES

    for rule in ALL_RULES:
        for name in rule.meta.cases:
            assert name in CASES, f"{rule.meta.code} links to missing case {name}"
            assert rule.meta.code in CASES[name].rules


def test_every_case_that_names_a_rule_feeds_its_claim():
    """A rule's claim is derived from the cases it links: a case naming a rule the
    rule does not link would be a measurement the claim ignores."""
    for name, case in CASES.items():
        for code in case.rules:
            assert name in RULES_BY_CODE[code].meta.cases, f"{name} names {code}, which does not link it"


# Variants: the same bad model exported with other dynamic shapes ----------------
VARIANTS = [(name, v.label, mode) for name in CASES for v in CASES[name].variants for mode in MODES]


def _variant(name, label):
    return next(v for v in CASES[name].variants if v.label == label)


@pytest.mark.parametrize("name,label,mode", VARIANTS)
def test_variant_behaves_as_the_case_says(name, label, mode):
    case, variant = CASES[name], _variant(name, label)
    found = measure(case, strict=(mode == "strict"), variant=variant)
    agrees, why = found.agrees_with(case.form_outcome(TORCH, mode, f"shapes={label}"))
    assert agrees, f"{name} [{label}] ({mode}, torch {TORCH}) against {_source(case, f'shapes={label}')}: {why}"


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
