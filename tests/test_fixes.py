"""Every fix is checked by torch.export: applied to the catalog's bad model, the
result must export in both modes on the installed torch and match eager on
both input sets; a safe fix must also leave eager's outputs unchanged.

The bad model is linted for a target where the rule speaks (EXP102 only does
for torch < 2.8 strict); the fixed source is exported on the installed torch.
"""

import dataclasses

import pytest
import torch  # noqa: F401  (the test extra installs it: missing, the suite fails, never skips)

from conftest import settings
from exportlint.cases import EXPORTS, all_cases
from exportlint.engine import lint_text
from exportlint.fix import SAFE, Autofix
from exportlint.fixes.apply import fix_text
from exportlint.measure import _build, _evaluate, _fresh, _outputs_match, load_model_namespace, measure
from exportlint.rules import RULES_BY_CODE
from exportlint.target import installed_torch

CASES = all_cases()
FIXABLE = {code for code, rule in RULES_BY_CODE.items() if isinstance(rule.meta.fix, Autofix)}
# (torch, strict) targets tried in turn until the rule has something to say.
TARGETS = [(str(installed_torch()), False), (str(installed_torch()), True), ("2.7", True), ("2.9", True)]


def _offers_a_fix(case) -> bool:
    """Some target gets a finding with a fix (a fixable rule may offer none for a form,
    e.g. EXP107 on a parameter only guessed to be a tensor)."""
    return any(
        d.fix is not None
        for torch_version, strict in TARGETS
        for d in lint_text(case.bad, f"{case.name}.py", settings(target_torch=torch_version, strict=strict), fixes=True)
    )


FIXED_CASES = sorted(
    name for name, case in CASES.items()
    if FIXABLE & {code for codes in case.expected_findings().values() for code in codes} and _offers_a_fix(case)
)


def _fix(case):
    """(fixed source, the fixes' safeties, the settings used) for the first target where a fix applies."""
    for torch_version, strict in TARGETS:
        chosen = settings(target_torch=torch_version, strict=strict)
        found = lint_text(case.bad, f"{case.name}.py", chosen, fixes=True)
        safeties = {d.fix.safety for d in found if d.fix is not None}
        if safeties:
            result = fix_text(
                case.bad, lambda text: lint_text(text, f"{case.name}.py", chosen, fixes=True), unsafe=True
            )
            assert not result.error, result.error
            return result, safeties, chosen
    raise AssertionError(f"{case.name}: no fix offered for any of {TARGETS}")


def _as_user_exports(case, fixed_source):
    """The case with the fixed source in place of the bad one: the user's export call
    (dynamic shapes) stays; inputs are the rewrite's where the case has its own."""
    return dataclasses.replace(
        case, bad=fixed_source, inputs=case.fixed_inputs or case.inputs,
        other_inputs=case.fixed_other_inputs or case.other_inputs, divergence_probe="",
    )


@pytest.mark.parametrize("name", FIXED_CASES)
@pytest.mark.parametrize("mode", ["strict", "non-strict"])
def test_fixed_model_exports_and_matches_eager(name, mode):
    case = CASES[name]
    result, _, _ = _fix(case)
    measured = measure(_as_user_exports(case, result.text), strict=(mode == "strict"))
    assert measured.result == EXPORTS, f"{name} fixed ({mode}): {measured}\n{result.text}"


@pytest.mark.parametrize("name", FIXED_CASES)
def test_fix_removes_the_fixable_findings_and_is_idempotent(name):
    case = CASES[name]
    result, _, chosen = _fix(case)
    assert result.applied >= 1 and result.text != case.bad
    assert not [d for d in result.remaining if d.fix is not None], result.remaining
    again = fix_text(result.text, lambda text: lint_text(text, f"{name}.py", chosen, fixes=True), unsafe=True)
    assert again.text == result.text and again.applied == 0


@pytest.mark.parametrize("name", FIXED_CASES)
def test_safe_fix_keeps_eager_outputs(name):
    case = CASES[name]
    result, safeties, _ = _fix(case)
    if safeties != {SAFE}:
        return  # unsafe fixes may change eager's meaning: that is what unsafe says
    bad = load_model_namespace(case.bad, name, "bad-eager")
    fixed = load_model_namespace(result.text, name, "fixed-eager")
    for expression in filter(None, (case.inputs, case.other_inputs)):
        inputs = _evaluate(expression, bad)
        assert _outputs_match(_build(bad)(*_fresh(inputs)), _build(fixed)(*_fresh(inputs)))


def test_fixes_keep_comments_and_formatting():
    source = (
        "import torch\n\n\n"
        "class Model(torch.nn.Module):\n"
        "    def forward(self, x):  # the entry point\n"
        "        rows = torch.sym_min(x.size(0),   4)  # at most four\n"
        "        return x[:rows]\r\n"
    )
    chosen = settings(target_torch="2.7", strict=True)
    result = fix_text(source, lambda text: lint_text(text, "m.py", chosen, fixes=True))
    assert result.text == source.replace("torch.sym_min(", "min(")


def test_unsafe_fixes_wait_for_unsafe_fixes():
    case = CASES["optional_input"]
    chosen = settings()
    result = fix_text(case.bad, lambda text: lint_text(text, "m.py", chosen, fixes=True), unsafe=False)
    assert result.text == case.bad and result.applied == 0
    assert any("unsafe fix" in d.message for d in result.remaining)


def test_findings_without_a_fix_say_why():
    case = CASES["tensor_condition"]
    found = lint_text(case.bad, "m.py", settings(), fixes=True)
    assert found and all("no automatic fix: " in d.message and d.fix is None for d in found)


def _fixed(source, unsafe=True, **options):
    chosen = settings(**options)
    return fix_text(source, lambda text: lint_text(text, "m.py", chosen, fixes=True), unsafe=unsafe).text


def _model(*body):
    return "import numpy as np\nimport torch\n\n\nclass Model(torch.nn.Module):\n    def forward(self, x):\n" + "".join(
        f"        {line}\n" for line in body
    )


def test_replacements_are_parenthesised_only_where_precedence_needs_it():
    fixed = _fixed(_model(
        "a = x / np.sqrt(x.shape[1])",
        "b = np.sqrt(x.shape[1] - 1) ** 2",
        "return a * b * np.int64(x.shape[0] + 1) * np.int64(x.shape[0])",
    ))
    assert "a = x / x.shape[1] ** 0.5\n" in fixed
    assert "b = ((x.shape[1] - 1) ** 0.5) ** 2\n" in fixed
    assert "return a * b * (x.shape[0] + 1) * x.shape[0]\n" in fixed


def test_a_print_alone_in_its_block_becomes_pass():
    fixed = _fixed(_model("if x.dim() == 2:", "    print(x)", "return x"))
    assert "if x.dim() == 2:\n            pass\n        return x\n" in fixed


def test_suppressed_findings_are_not_fixed():
    source = _model("print(x)  # noqa: EXP215", "return x")
    assert _fixed(source) == source
