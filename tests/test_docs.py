"""The rule reference is generated from rule metadata, so it cannot drift."""

from pathlib import Path

from exportlint.docs import explain, reference
from exportlint.rules import ALL_RULES

ROOT = Path(__file__).resolve().parent.parent


def test_checked_in_rule_reference_is_current():
    on_disk = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == reference(), "docs/rules.md is stale: run `python -m exportlint.docs > docs/rules.md`"


def test_every_rule_page_has_all_sections():
    for rule in ALL_RULES:
        page = explain(rule.meta.code)
        for section in (
            "**What it does:**", "**Why export cares:**", "**Use instead:**", "**Where it applies**", "**Autofix",
            "Case `",
        ):
            assert section in page, f"{rule.meta.code} lacks {section}"


def test_rule_codes_follow_the_numbering_scheme():
    for rule in ALL_RULES:
        code = rule.meta.code
        assert len(code) == 6 and code[:3] == "EXP" and code[3] in "123", code


def test_every_rule_says_whether_it_has_a_fix_and_why_not():
    from exportlint.fix import Autofix

    for rule in ALL_RULES:
        spec = rule.meta.fix
        assert (isinstance(spec, Autofix) and spec.forms) or spec.reason, f"{rule.meta.code} declares no fix or reason"
