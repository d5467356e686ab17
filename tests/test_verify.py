"""`exportlint verify`: the catalog run on the installed torch, as a table."""

import dataclasses
import json

import torch  # the test extra installs it: missing, the suite fails, never skips

from exportlint import verify
from exportlint.cases import EXPORTS, Outcome, all_cases
from exportlint.target import installed_torch


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
    monkeypatch.setattr("exportlint.measured.row", lambda *args: None)  # the hand rows speak
    assert verify.main(["dynamic_shape_round", "--mode", "strict"]) == 1
    assert "DISAGREES dynamic_shape_round (strict): expected exports, measured fails" in capsys.readouterr().out


def test_verify_exits_1_when_torch_contradicts_the_data_file(monkeypatch, capsys):
    monkeypatch.setattr("exportlint.measured.row", lambda *args: {"result": "exports"})
    assert verify.main(["dynamic_shape_round", "--mode", "strict"]) == 1
    assert "DISAGREES dynamic_shape_round (strict): expected exports, measured fails" in capsys.readouterr().out


def test_verify_json_is_the_only_thing_on_stdout(capfd):
    """The print case prints from forward while measured: that goes elsewhere."""
    verify.main(["print_tensor_in_forward", "--format", "json"])
    report = json.loads(capfd.readouterr().out)
    assert {(r["variant"], r["mode"]) for r in report["rows"]} == {
        ("bad", "strict"), ("bad", "non-strict"), ("fixed", "strict"), ("fixed", "non-strict")}
    assert report["torch"] == str(installed_torch())


def test_a_case_that_cannot_be_set_up_is_a_crashed_row(monkeypatch, capfd):
    real = all_cases()["dynamic_shape_round"]
    broken = dataclasses.replace(real, inputs="(torch.no_such_function(4),)")
    monkeypatch.setattr("exportlint.cases.all_cases", lambda: {"dynamic_shape_round": broken})
    assert verify.main(["dynamic_shape_round", "--mode", "strict", "--format", "json"]) == 1
    captured = capfd.readouterr()
    row = json.loads(captured.out)["rows"][0]
    assert (row["result"], row["error"]) == ("crashed", "AttributeError") and "setup" in row["message"]
    assert "Traceback" not in captured.err


def test_verify_rejects_unknown_cases(capsys):
    assert verify.main(["no_such_case"]) == 2


def test_an_exported_program_that_raises_is_measured_not_a_traceback(monkeypatch):
    """torch 2.5.1 exports module_to_in_forward non-strict, then the program raises
    a dtype mismatch: that is what export did, a row, not a crash of verify."""
    from exportlint.measure import measure

    class Program:
        def module(self):
            def run(*args, **kwargs):
                raise RuntimeError("expected scalar type Double but found Float")
            return run

    monkeypatch.setattr(torch.export, "export", lambda *args, **kwargs: Program())
    found = measure(all_cases()["module_to_in_forward"], strict=False)
    assert (found.result, found.error) == ("specializes", "RuntimeError")
    assert found.message.startswith("rejects the example inputs: RuntimeError: expected scalar type Double")
