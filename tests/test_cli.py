"""The command line, as users run it: codes, positions, exit codes, options."""

import json

import pytest
from packaging.version import Version

from conftest import run_cli
from exportlint.measured import measured_releases
from exportlint.rules import RULES_BY_CODE

ROUND = """\
import torch


class Half(torch.nn.Module):
    def forward(self, x):
        return x[: round(x.shape[0] / 2)]
"""
ROUND_FIXED = """\
import torch


class Half(torch.nn.Module):
    def forward(self, x):
        return x[: x.shape[0] // 2]
"""
ATTR = """\
import torch.nn as nn


class Keep(nn.Module):
    def forward(self, x):
        self.seen = x
        return x
"""
DEFAULT = """\
import torch


class Bias(torch.nn.Module):
    def forward(self, x, b=torch.ones(3)):
        return x + b
"""
SYM_MIN = """\
import torch


class Clamp(torch.nn.Module):
    def forward(self, x):
        return x * torch.sym_min(x.size(0), 4)
"""


def lines_of(result):
    return [line for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "source,expected",
    [
        (ROUND, "bad.py:6:20: EXP101"),
        (ATTR, "bad.py:6:9: EXP201"),
        (DEFAULT, "bad.py:5:28: EXP202"),
    ],
)
def test_each_seed_pattern_is_reported_at_its_expression(tmp_path, source, expected):
    (tmp_path / "bad.py").write_text(source)
    result = run_cli("bad.py", "--target-torch", "2.13", cwd=tmp_path)
    assert result.returncode == 1
    assert [line.split(" EXP")[0] + " EXP" + line.split(" EXP")[1][:3] for line in lines_of(result)] == [expected]


def test_sym_min_is_reported_for_old_strict_export(tmp_path):
    (tmp_path / "bad.py").write_text(SYM_MIN)
    result = run_cli("bad.py", "--target-torch", "2.7", cwd=tmp_path)
    assert lines_of(result)[0].startswith("bad.py:6:20: EXP102 ")


def test_rewrite_is_clean_and_exits_zero(tmp_path):
    (tmp_path / "good.py").write_text(ROUND_FIXED)
    result = run_cli("good.py", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


def test_message_says_what_why_instead_and_case(tmp_path):
    (tmp_path / "bad.py").write_text(ROUND)
    message = lines_of(run_cli("bad.py", "--target-torch", "2.13", "--non-strict", cwd=tmp_path))[0]
    assert "round() of symbolic size `x.shape[0] / 2`" in message
    assert "torch 2.13 non-strict export fails" in message
    assert "x.shape" in message and "//" in message and "[round-symbolic-size]" in message


# Version and mode boundaries ------------------------------------------------
@pytest.mark.parametrize(
    "version,mode,expected",
    [
        ("2.9", "--strict", "error"),  # strict < 2.10 refuses the mutation
        ("2.9", "--non-strict", "error"),
        ("2.10", "--strict", "warning"),  # from 2.10: warns and drops it
        ("2.13", "--non-strict", "warning"),
    ],
)
def test_attribute_mutation_severity_follows_the_target(tmp_path, version, mode, expected):
    (tmp_path / "bad.py").write_text(ATTR)
    out = run_cli("bad.py", "--target-torch", version, mode, "--format", "json", cwd=tmp_path)
    assert [d["severity"] for d in json.loads(out.stdout)] == [expected]


@pytest.mark.parametrize(
    "version,mode,expected",
    [
        ("2.4", "--strict", "error"),  # not measured: the oldest measured release, 2.5.1, speaks for it
        ("2.5", "--strict", "error"),  # measured: "Tracing through optional input is not supported yet"
        ("2.9", "--strict", "error"),
        ("2.9", "--non-strict", "warning"),
        ("2.10", "--strict", "warning"),  # measured on 2.10.0: exports, the default baked in
    ],
)
def test_tensor_default_is_an_error_only_for_strict_2_5_to_2_9(tmp_path, version, mode, expected):
    (tmp_path / "bad.py").write_text(DEFAULT)
    out = run_cli("bad.py", "--target-torch", version, mode, "--format", "json", cwd=tmp_path)
    assert [d["severity"] for d in json.loads(out.stdout)] == [expected]


@pytest.mark.parametrize(
    "version,mode,count", [("2.7", "--strict", 1), ("2.7", "--non-strict", 0), ("2.13", "--strict", 0)]
)
def test_sym_min_is_silent_where_it_exports(tmp_path, version, mode, count):
    (tmp_path / "bad.py").write_text(SYM_MIN)
    out = run_cli("bad.py", "--target-torch", version, mode, "--format", "json", cwd=tmp_path)
    assert len(json.loads(out.stdout)) == count


def test_default_mode_is_strict_before_2_8(tmp_path):
    (tmp_path / "bad.py").write_text(SYM_MIN)
    assert run_cli("bad.py", "--target-torch", "2.7", cwd=tmp_path).returncode == 1
    assert run_cli("bad.py", "--target-torch", "2.8", cwd=tmp_path).returncode == 0


# noqa -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "comment,reported",
    [("# noqa", False), ("# noqa: EXP201", False), ("# NOQA:EXP2", False), ("# noqa: EXP101", True), ("# noqa: E501", True)],
)
def test_noqa_works_as_in_flake8(tmp_path, comment, reported):
    (tmp_path / "bad.py").write_text(ATTR.replace("self.seen = x", f"self.seen = x  {comment}"))
    assert (run_cli("bad.py", cwd=tmp_path).returncode == 1) is reported


# Selection and configuration ----------------------------------------------
def test_select_ignore_and_extend_select(tmp_path):
    (tmp_path / "a.py").write_text(ATTR)
    (tmp_path / "b.py").write_text(ROUND)

    def codes(*opts):
        return sorted(d["code"] for d in json.loads(run_cli(".", "--format", "json", *opts, cwd=tmp_path).stdout))

    assert codes() == ["EXP101", "EXP201"]
    assert codes("--select", "EXP1") == ["EXP101"]
    assert codes("--ignore", "EXP2") == ["EXP101"]
    assert codes("--select", "EXP1", "--extend-select", "EXP201") == ["EXP101", "EXP201"]
    assert codes("--ignore", "EXP", "--select", "EXP201") == ["EXP201"]  # longer prefix wins


def test_pyproject_config_is_read_and_cli_overrides_it(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.exportlint]\nignore = ["EXP201"]\ntarget-torch = "2.9"\n')
    (tmp_path / "a.py").write_text(ATTR)
    (tmp_path / "b.py").write_text(DEFAULT)
    found = json.loads(run_cli(".", "--format", "json", "--strict", cwd=tmp_path).stdout)
    assert [(d["code"], d["severity"]) for d in found] == [("EXP202", "error")]
    found = json.loads(run_cli(".", "--format", "json", "--target-torch", "2.13", cwd=tmp_path).stdout)
    assert [(d["code"], d["severity"]) for d in found] == [("EXP202", "warning")]


def test_unknown_config_key_is_a_usage_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.exportlint]\nselcet = ['EXP1']\n")
    (tmp_path / "a.py").write_text(ATTR)
    result = run_cli("a.py", cwd=tmp_path)
    assert result.returncode == 2 and "selcet" in result.stderr and "Traceback" not in result.stderr


def test_exclude_globs_skip_directories(tmp_path):
    (tmp_path / "keep").mkdir()
    (tmp_path / "skip").mkdir()
    (tmp_path / "keep" / "m.py").write_text(ATTR)
    (tmp_path / "skip" / "m.py").write_text(ATTR)
    out = run_cli(".", "--extend-exclude", "skip", "--format", "json", cwd=tmp_path)
    assert [d["path"] for d in json.loads(out.stdout)] == ["./keep/m.py"]


def test_stdin_with_filename(tmp_path):
    result = run_cli("-", "--stdin-filename", "pkg/model.py", stdin=ATTR, cwd=tmp_path)
    assert result.stdout.startswith("pkg/model.py:6:9: EXP201 ")


# Exit codes and failures -----------------------------------------------------
def test_exit_zero_keeps_findings_but_exits_clean(tmp_path):
    (tmp_path / "a.py").write_text(ATTR)
    result = run_cli("a.py", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 0 and "EXP201" in result.stdout


def test_missing_path_is_a_usage_error(tmp_path):
    result = run_cli("nope.py", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "nope.py" in result.stderr


@pytest.mark.parametrize("args", [["--format", "xml", "a.py"], ["--target-torch", "two", "a.py"], ["--bogus"], []])
def test_bad_options_are_usage_errors(tmp_path, args):
    (tmp_path / "a.py").write_text(ATTR)
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_syntax_error_is_one_finding_and_other_files_still_linted(tmp_path):
    (tmp_path / "broken.py").write_text("import torch\nclass M(torch.nn.Module):\n    def forward(self, x:\n")
    (tmp_path / "model.py").write_text(ATTR)
    found = json.loads(run_cli(".", "--format", "json", cwd=tmp_path).stdout)
    assert [(d["path"], d["code"]) for d in found] == [("./broken.py", "EXP000"), ("./model.py", "EXP201")]


def test_undecodable_file_is_one_finding(tmp_path):
    (tmp_path / "latin.py").write_bytes(b"import torch\nname = '\xe9t\xe9'\n")
    (tmp_path / "model.py").write_text(ATTR)
    found = json.loads(run_cli(".", "--format", "json", cwd=tmp_path).stdout)
    assert [d["code"] for d in found] == ["EXP000", "EXP201"]
    assert "could not decode" in found[0]["message"]


# Informational commands -------------------------------------------------------
def _statuses(out):
    rules = out.split("\n\n")[0].splitlines()[1:]  # the matrix of releases follows a blank line
    return {line.split()[0]: line.split()[2] for line in rules}


def test_list_rules_shows_every_code_with_its_status(tmp_path):
    out = run_cli("--list-rules", "--target-torch", "2.7", "--strict", cwd=tmp_path).stdout
    status = _statuses(out)
    assert set(status) == set(RULES_BY_CODE)
    assert status["EXP102"] == "error" and status["EXP201"] == "error"  # measured on 2.7.1
    out = run_cli("--list-rules", "--target-torch", "2.13", cwd=tmp_path).stdout
    assert _statuses(out)["EXP102"] == "silent"


def test_list_rules_shows_the_measured_matrix(tmp_path):
    out = run_cli("--list-rules", cwd=tmp_path).stdout
    matrix = out.split("\n\n")[1].splitlines()
    assert matrix[0].startswith("# measured per release")
    assert matrix[1].split()[1:] == [f"{r.major}.{r.minor}" for r in measured_releases()]
    assert {line.split()[0] for line in matrix[2:]} == set(RULES_BY_CODE)


def test_a_target_before_torch_export_is_a_usage_error(tmp_path):
    (tmp_path / "bad.py").write_text(ROUND)
    result = run_cli("bad.py", "--target-torch", "2.0", cwd=tmp_path)
    assert result.returncode == 2 and "2.1" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("version", ["2.99", "3.0", "2.1"])
def test_an_unmeasured_target_says_which_release_it_uses_once(tmp_path, version):
    (tmp_path / "a.py").write_text(ROUND)
    (tmp_path / "b.py").write_text(ROUND)
    result = run_cli(".", "--target-torch", version, cwd=tmp_path)
    notes = [line for line in result.stderr.splitlines() if "was not measured" in line]
    releases = measured_releases()
    used = releases[0] if Version(version) < releases[0] else releases[-1]
    assert len(notes) == 1 and f"the findings use torch {used}'s outcomes" in notes[0]
    sarif = json.loads(run_cli(".", "--target-torch", version, "--format", "sarif", cwd=tmp_path).stdout)
    properties = sarif["runs"][0]["properties"]
    assert (properties["targetMeasured"], properties["measuredRelease"]) == (False, str(used))


def test_a_measured_target_says_nothing_more(tmp_path):
    (tmp_path / "a.py").write_text(ROUND)
    newest = measured_releases()[-1]
    result = run_cli("a.py", "--target-torch", f"{newest.major}.{newest.minor}", cwd=tmp_path)
    assert "was not measured" not in result.stderr and result.returncode == 1
    sarif = json.loads(run_cli("a.py", "--target-torch", str(newest), "--format", "sarif", cwd=tmp_path).stdout)
    assert sarif["runs"][0]["properties"]["targetMeasured"] is True


def test_explain_prints_the_rule_with_its_case(tmp_path):
    out = run_cli("--explain", "exp101", cwd=tmp_path).stdout
    assert out.startswith("## EXP101 round-symbolic-size")
    assert "Use instead" in out and "dynamic_shape_round" in out and "Constraints violated" in out


def test_explain_unknown_code_is_a_usage_error(tmp_path):
    assert run_cli("--explain", "EXP999", cwd=tmp_path).returncode == 2


def test_version(tmp_path):
    from exportlint import __version__

    assert run_cli("--version", cwd=tmp_path).stdout.strip() == f"exportlint {__version__}"


def test_statistics_counts_per_code(tmp_path):
    (tmp_path / "a.py").write_text(ATTR)
    (tmp_path / "b.py").write_text(ATTR)
    out = run_cli(".", "--statistics", cwd=tmp_path).stdout
    assert out.splitlines()[-1].split()[:2] == ["2", "EXP201"]
