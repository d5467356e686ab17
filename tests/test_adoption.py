"""Adopting exportlint on a codebase that already has findings: baseline,
per-file-ignores, file-level switches and --add-noqa, through the real CLI and
real flake8, which must agree."""

import ast
import json
import subprocess
import sys

from conftest import run_cli

TARGET = ("--target-torch", "2.13", "--non-strict")
HEAD = "import torch\n\n\nclass Keep(torch.nn.Module):\n    def forward(self, x):\n"
MUTATION = HEAD + "        self.seen = x\n        return x\n"
ROUND = HEAD + "        return x[: round(x.shape[0] / 2)]\n"


def flake8_findings(*args, cwd):
    """(file, line, code) of real flake8's EXP findings."""
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "EXP", "--format", "%(path)s|%(row)d|%(code)s", *args],
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    rows = [line.split("|") for line in result.stdout.splitlines()]
    return sorted((path.lstrip("./"), int(row), code) for path, row, code in rows)


def cli_findings(*args, cwd):
    result = run_cli(*args, "--format", "json", cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return sorted((d["path"].lstrip("./"), d["line"], d["code"]) for d in json.loads(result.stdout))


# Baseline -------------------------------------------------------------------
def test_a_missing_baseline_is_recorded_and_the_run_passes(tmp_path):
    (tmp_path / "m.py").write_text(MUTATION)
    result = run_cli(".", "--baseline", "exportlint-baseline.json", *TARGET, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "recorded 1 finding in exportlint-baseline.json" in result.stderr
    recorded = json.loads((tmp_path / "exportlint-baseline.json").read_text())["findings"]
    assert [(e["code"], e["path"], e["function"], e["source"]) for e in recorded] == [
        ("EXP201", "m.py", "Keep.forward", "self.seen")
    ]


def test_baseline_reports_only_new_findings_after_an_edit_that_moves_lines(tmp_path):
    (tmp_path / "m.py").write_text(MUTATION)
    assert run_cli(".", "--baseline", "base.json", *TARGET, cwd=tmp_path).returncode == 0
    unchanged = run_cli(".", "--baseline", "base.json", *TARGET, cwd=tmp_path)
    assert (unchanged.returncode, unchanged.stdout) == (0, "")
    assert "no new findings (1 known finding in the baseline base.json not shown)" in unchanged.stderr

    # Ten lines pushed above the old finding, and a new finding below it.
    moved = MUTATION.replace("import torch\n", "import torch\n" + "# a comment\n" * 10)
    moved = moved.replace("        return x\n", "        return x[: round(x.shape[0] / 2)]\n")
    (tmp_path / "m.py").write_text(moved)
    result = run_cli(".", "--baseline", "base.json", *TARGET, cwd=tmp_path)
    assert result.returncode == 1
    assert [line.split(" ")[:2] for line in result.stdout.splitlines()] == [["./m.py:17:20:", "EXP101"]]


def test_baseline_counts_duplicates_and_keys_on_the_path_not_how_it_was_named(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "m.py").write_text(MUTATION)
    assert run_cli("src", "--baseline", "base.json", *TARGET, cwd=tmp_path).returncode == 0
    twice = MUTATION.replace("        self.seen = x\n", "        self.seen = x\n        self.seen = x\n")
    (tmp_path / "src" / "m.py").write_text(twice)
    result = run_cli("./src/m.py", "--baseline", "base.json", *TARGET, cwd=tmp_path)
    assert result.returncode == 1
    assert [line.split(" ")[:2] for line in result.stdout.splitlines()] == [["./src/m.py:7:9:", "EXP201"]]


def test_an_unreadable_baseline_is_a_usage_error(tmp_path):
    (tmp_path / "m.py").write_text(MUTATION)
    (tmp_path / "base.json").write_text("{not json")
    result = run_cli(".", "--baseline", "base.json", cwd=tmp_path)
    assert result.returncode == 2 and "cannot read baseline base.json" in result.stderr
    assert "Traceback" not in result.stderr


# per-file-ignores -------------------------------------------------------------
PER_FILE_IGNORES = """\
[tool.exportlint]
target-torch = "2.13"
strict = false

[tool.exportlint.per-file-ignores]
"legacy/*" = ["EXP2"]
"test_*.py" = ["EXP101"]
"""


def _per_file_project(root):
    (root / "pyproject.toml").write_text(PER_FILE_IGNORES)
    for directory in ("legacy/deep", "pkg"):
        (root / directory).mkdir(parents=True)
        (root / directory / "mutation.py").write_text(MUTATION)
        (root / directory / "test_round.py").write_text(ROUND)


def test_per_file_ignores_are_read_from_pyproject_by_the_cli(tmp_path):
    _per_file_project(tmp_path)
    assert cli_findings(".", cwd=tmp_path) == [("pkg/mutation.py", 6, "EXP201")]


def test_flake8_applies_the_same_per_file_ignores(tmp_path):
    _per_file_project(tmp_path)
    assert flake8_findings(".", cwd=tmp_path) == cli_findings(".", cwd=tmp_path)


def test_a_per_file_ignore_with_an_unknown_code_is_a_usage_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.exportlint.per-file-ignores]\n"tests/*" = ["EXP9"]\n')
    (tmp_path / "m.py").write_text(MUTATION)
    result = run_cli(".", cwd=tmp_path)
    assert result.returncode == 2 and "'EXP9' is not a rule code" in result.stderr


def test_a_bad_pyproject_stops_flake8_with_one_line_not_a_traceback(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.exportlint]\nselect = ["EXP9"]\n')
    (tmp_path / "m.py").write_text(MUTATION)
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "EXP", "m.py"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert "exportlint: select: 'EXP9' is not a rule code" in result.stderr + result.stdout


# File-level switches ----------------------------------------------------------
def _file_switch_project(root):
    (root / "flake8_noqa.py").write_text("# flake8: noqa\n" + MUTATION)
    (root / "skip_file.py").write_text("# exportlint: skip-file\n" + MUTATION)
    (root / "indented.py").write_text(MUTATION.replace("        return x\n", "        return x  # flake8: noqa\n"))
    (root / "plain.py").write_text(MUTATION)


def test_file_level_switches_skip_the_file_in_the_cli(tmp_path):
    _file_switch_project(tmp_path)
    # flake8 honours the file-level comment only on a line of its own
    assert cli_findings(".", *TARGET, cwd=tmp_path) == [("indented.py", 6, "EXP201"), ("plain.py", 6, "EXP201")]


def test_file_level_switches_skip_the_file_in_flake8_as_well(tmp_path):
    _file_switch_project(tmp_path)
    flake8 = flake8_findings("--exportlint-target-torch", "2.13", "--exportlint-strict", "false", ".", cwd=tmp_path)
    assert flake8 == cli_findings(".", *TARGET, cwd=tmp_path)


# noqa on lines joined to others, as flake8 reads it ---------------------------
JOINED = """\
import torch


class Backslash(torch.nn.Module):
    def forward(self, x):
        self.seen = \\
            x  # noqa: EXP201
        return x


class MultiLineString(torch.nn.Module):
    def forward(self, x):
        self.seen = x; note = '''first
        second'''  # noqa: EXP201
        return x


class Brackets(torch.nn.Module):
    def forward(self, x):
        self.seen = (
            x)  # noqa: EXP201
        return x
"""


def test_noqa_covers_backslash_runs_and_multi_line_strings_but_not_brackets(tmp_path):
    (tmp_path / "joined.py").write_text(JOINED)
    assert cli_findings("joined.py", *TARGET, cwd=tmp_path) == [("joined.py", 20, "EXP201")]


def test_noqa_on_joined_lines_agrees_with_real_flake8(tmp_path):
    (tmp_path / "joined.py").write_text(JOINED)
    flake8 = flake8_findings("--exportlint-target-torch", "2.13", "--exportlint-strict", "false", "joined.py",
                             cwd=tmp_path)
    assert flake8 == cli_findings("joined.py", *TARGET, cwd=tmp_path)


# --add-noqa -------------------------------------------------------------------
ADD_NOQA = """\
import torch


class Keep(torch.nn.Module):
    def forward(self, x):
        self.seen = x  # noqa: E501
        self.last = \\
            x
        self.other = x; note = '''
        text'''
        return x[: round(x.shape[0] / 2)]  # type: ignore
"""


def test_add_noqa_silences_every_finding_for_the_cli_and_flake8(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(ADD_NOQA)
    assert len(cli_findings("m.py", *TARGET, cwd=tmp_path)) == 4
    result = run_cli("m.py", "--add-noqa", *TARGET, cwd=tmp_path)
    assert result.returncode == 0 and "added 4 noqa comments to 1 file" in result.stderr, result.stderr
    assert cli_findings("m.py", *TARGET, cwd=tmp_path) == []
    assert flake8_findings("--exportlint-target-torch", "2.13", "--exportlint-strict", "false", "m.py",
                           cwd=tmp_path) == []


def test_add_noqa_merges_with_existing_comments_and_leaves_code_alone(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(ADD_NOQA)
    run_cli("m.py", "--add-noqa", *TARGET, cwd=tmp_path)
    edited = path.read_text()
    assert ast.dump(ast.parse(edited)) == ast.dump(ast.parse(ADD_NOQA))
    assert edited.splitlines()[5:11] == [
        "        self.seen = x  # noqa: E501, EXP201",
        "        self.last = \\",
        "            x  # noqa: EXP201",
        "        self.other = x; note = '''",
        "        text'''  # noqa: EXP201",
        "        return x[: round(x.shape[0] / 2)]  # type: ignore  # noqa: EXP101",
    ]


def test_add_noqa_keeps_crlf_line_endings(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(MUTATION.replace("\n", "\r\n").encode())
    run_cli("m.py", "--add-noqa", *TARGET, cwd=tmp_path)
    assert path.read_bytes().split(b"\r\n")[5] == b"        self.seen = x  # noqa: EXP201"
    assert b"\n" not in path.read_bytes().replace(b"\r\n", b"")


# --force-exclude (pre-commit names excluded files too) -----------------------
def test_force_exclude_skips_excluded_files_named_on_the_command_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.exportlint]\nextend-exclude = ["legacy/"]\n')
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.py").write_text(MUTATION)
    (tmp_path / "new.py").write_text(MUTATION)
    assert len(cli_findings("legacy/old.py", "new.py", cwd=tmp_path)) == 2
    assert cli_findings("legacy/old.py", "new.py", "--force-exclude", cwd=tmp_path) == [("new.py", 6, "EXP201")]
