"""`exportlint verify`: the catalog run on the installed torch, as a table."""

import dataclasses

import torch  # noqa: F401  (the test extra installs it: missing, the suite fails, never skips)

from exportlint import verify
from exportlint.cases import EXPORTS, Outcome, all_cases


def test_verify_prints_agreement_for_a_case(capsys):
    assert verify.main(["dynamic_shape_round", "--mode", "non-strict"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["case", "rule", "mode", "expected", "measured", "agrees"]
    assert out[2].split() == ["dynamic_shape_round", "EXP101", "non-strict", "fails", "fails", "yes"]
    assert out[-1].endswith("2 agree, 0 disagree")


def test_verify_exits_1_when_torch_contradicts_a_case(monkeypatch, capsys):
    real = all_cases()["dynamic_shape_round"]
    wrong = dataclasses.replace(real, bad_outcomes=(Outcome(EXPORTS),))
    monkeypatch.setattr("exportlint.cases.all_cases", lambda: {"dynamic_shape_round": wrong})
    assert verify.main(["dynamic_shape_round", "--mode", "strict"]) == 1
    assert "DISAGREES dynamic_shape_round (strict): expected exports, measured fails" in capsys.readouterr().out


def test_verify_rejects_unknown_cases(capsys):
    assert verify.main(["no_such_case"]) == 2
