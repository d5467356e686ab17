"""What people read: the default text format, concise lines, the summary and
progress on stderr, statistics inside machine documents, and usage errors
for mistakes that used to pass silently."""

import json
import os
import pty
import re
import subprocess
import sys

import pytest

from conftest import ROOT, run_cli
from exportlint.codes import names
from exportlint.rules import RULES_BY_CODE

TARGET = ("--target-torch", "2.13", "--non-strict")
ROUND = """\
import torch


class Half(torch.nn.Module):
    def forward(self, x):
        return x[: round(x.shape[0] / 2)]
"""
MUTATION = ROUND.replace("return x[: round(x.shape[0] / 2)]", "self.seen = x\n        return x")
CLEAN = ROUND.replace("round(x.shape[0] / 2)", "x.shape[0] // 2")


# The default text format ----------------------------------------------------
def test_text_shows_the_source_line_with_a_caret_under_the_span(tmp_path):
    (tmp_path / "bad.py").write_text(ROUND)
    out = run_cli("bad.py", *TARGET, cwd=tmp_path, concise=False).stdout.splitlines()
    source = "        return x[: round(x.shape[0] / 2)]"
    assert out[0].startswith("bad.py:6:20: EXP101 [round-symbolic-size] round() of symbolic size")
    assert out[2] == "6 | " + source
    carets = out[3][len("  | "):]
    start = source.index("round(")
    assert carets == " " * start + "^" * len("round(x.shape[0] / 2)") + " EXP101"


def test_text_shows_a_window_of_a_very_long_line_with_the_caret_still_under_the_span(tmp_path):
    long_line = "        y = [" + ", ".join(["1"] * 300) + "]; self.seen = x; z = [" + ", ".join(["2"] * 300) + "]"
    (tmp_path / "bad.py").write_text(MUTATION.replace("        self.seen = x", long_line))
    out = run_cli("bad.py", *TARGET, cwd=tmp_path, concise=False).stdout.splitlines()
    shown, carets = out[2][len("6 | "):], out[3][len("  | "):]
    assert len(shown) <= 122 and shown.startswith("…") and shown.endswith("…")
    assert shown[carets.index("^"):carets.index(" EXP201")] == "self.seen"


def test_a_parse_error_gets_one_caret_where_parsing_stopped(tmp_path):
    (tmp_path / "broken.py").write_text("import torch\nclass M(torch.nn.Module):\n    def forward(self, x:\n")
    out = run_cli("broken.py", cwd=tmp_path, concise=False).stdout.splitlines()
    assert out[0] == "broken.py:3:16: EXP000 [could-not-parse] could not parse: '(' was never closed"
    assert out[3] == "  |" + " " * 16 + "^ EXP000"


def test_text_links_each_finding_to_its_section_of_the_rule_reference(tmp_path):
    (tmp_path / "bad.py").write_text(ROUND)
    out = run_cli("bad.py", *TARGET, cwd=tmp_path, concise=False).stdout
    link = re.search(r"= docs: (\S+)", out).group(1)
    anchor = link.split("#", 1)[1]
    headings = (ROOT / "docs" / "rules.md").read_text().splitlines()
    # GitHub's anchor for "## EXP101 round-symbolic-size"
    assert anchor in {h[3:].lower().replace(" ", "-") for h in headings if h.startswith("## ")}


def test_text_wraps_what_export_does_instead_of_one_400_character_line(tmp_path):
    (tmp_path / "bad.py").write_text(ROUND)
    out = run_cli("bad.py", *TARGET, cwd=tmp_path, concise=False).stdout.splitlines()
    # The headline (path, code, rule, what) and the doc link are single lines; the rest wraps.
    body = [line for line in out if not line.startswith(("  = docs: ", "bad.py:"))]
    assert body and max(len(line) for line in body) <= 100
    assert any("torch 2.13 non-strict export fails" in line for line in out)


def test_a_multi_line_expression_is_quoted_on_one_line_in_every_format(tmp_path):
    spread = ROUND.replace("round(x.shape[0] / 2)", "round(x.shape[0] /\n            2)")
    (tmp_path / "bad.py").write_text(spread)
    lines = run_cli("bad.py", *TARGET, "--format", "concise", cwd=tmp_path).stdout.splitlines()
    assert len(lines) == 1 and "`x.shape[0] / 2`" in lines[0], lines
    # the message itself, as json and the flake8 plugin carry it
    [finding] = json.loads(run_cli("bad.py", *TARGET, "--format", "json", cwd=tmp_path).stdout)
    assert "`x.shape[0] / 2`" in finding["message"]


def test_the_readme_example_output_is_what_the_example_model_gives(tmp_path):
    readme = (ROOT / "README.md").read_text()
    example = readme.split("examples/model.py:13:16:", 1)[1].split("```", 1)[0]
    shown = ("examples/model.py:13:16:" + example).strip().splitlines()
    from exportlint.measured import newest_measured

    newest = newest_measured()  # what the README's run without torch targets
    result = run_cli(
        "examples/model.py", "--target-torch", f"{newest.major}.{newest.minor}", cwd=ROOT, concise=False,
        env={"EXPORTLINT_CACHE_DIR": str(tmp_path)},
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == shown[-1]
    findings = shown[:shown.index("...")]
    assert "\n".join(findings) in result.stdout


# Summary and progress on stderr ---------------------------------------------
def test_a_clean_run_says_so(tmp_path):
    (tmp_path / "good.py").write_text(CLEAN)
    (tmp_path / "plain.py").write_text("x = 1\n")
    result = run_cli(".", *TARGET, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "exportlint: checked 2 files (torch 2.13 non-strict export): no findings\n"


def test_the_summary_counts_findings_and_files(tmp_path):
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(MUTATION.replace("return x", "self.other = x\n        return x"))
    (tmp_path / "good.py").write_text(CLEAN)
    result = run_cli(".", *TARGET, cwd=tmp_path)
    assert result.stderr == "exportlint: checked 3 files (torch 2.13 non-strict export): 4 findings in 2 files\n"


def test_quiet_drops_the_summary(tmp_path):
    (tmp_path / "good.py").write_text(CLEAN)
    assert run_cli(".", "-q", cwd=tmp_path).stderr == ""


def _run_in_a_terminal(args, cwd, env):
    """Run the CLI with stderr on a pseudo-terminal; return (exit code, what the terminal got)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "exportlint", *args], cwd=cwd, env=env,
        stdout=subprocess.DEVNULL, stderr=follower, stdin=subprocess.DEVNULL,
    )
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    return process.wait(timeout=300), received.decode()


def test_progress_is_drawn_on_a_terminal_and_erased_before_the_summary(tmp_path):
    for index in range(3):
        (tmp_path / f"m{index}.py").write_text(CLEAN)
    env = dict(os.environ, EXPORTLINT_PROGRESS_AFTER="0", EXPORTLINT_CACHE_DIR=str(tmp_path / ".cache"))
    code, terminal = _run_in_a_terminal([".", "--no-cache", *TARGET], tmp_path, env)
    assert code == 0
    assert "\rexportlint: 3/3 files" in terminal
    assert terminal.endswith("\r\x1b[Kexportlint: checked 3 files (torch 2.13 non-strict export): no findings\r\n")


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    (tmp_path / "good.py").write_text(CLEAN)
    result = run_cli(".", *TARGET, cwd=tmp_path, env={"EXPORTLINT_PROGRESS_AFTER": "0"})
    assert result.stderr == "exportlint: checked 1 file (torch 2.13 non-strict export): no findings\n"


# --statistics and --output-file ----------------------------------------------
def _two_findings(tmp_path):
    (tmp_path / "a.py").write_text(MUTATION)
    (tmp_path / "b.py").write_text(MUTATION)
    (tmp_path / "c.py").write_text(ROUND)


def test_statistics_go_inside_the_json_document(tmp_path):
    _two_findings(tmp_path)
    document = json.loads(run_cli(".", *TARGET, "--format", "json", "--statistics", cwd=tmp_path).stdout)
    assert [f["code"] for f in document["findings"]] == ["EXP201", "EXP201", "EXP101"]
    assert document["statistics"] == [
        {"code": "EXP201", "name": "module-attribute-mutation", "count": 2},
        {"code": "EXP101", "name": "round-symbolic-size", "count": 1},
    ]


def test_statistics_go_inside_the_sarif_run(tmp_path):
    _two_findings(tmp_path)
    log = json.loads(run_cli(".", *TARGET, "--format", "sarif", "--statistics", cwd=tmp_path).stdout)
    assert [(s["code"], s["count"]) for s in log["runs"][0]["properties"]["statistics"]] == [
        ("EXP201", 2), ("EXP101", 1)
    ]


def test_statistics_follow_the_text_findings(tmp_path):
    _two_findings(tmp_path)
    out = run_cli(".", *TARGET, "--statistics", cwd=tmp_path).stdout.splitlines()
    assert out[-2:] == ["2      EXP201 module-attribute-mutation", "1      EXP101 round-symbolic-size"]


def test_output_file_takes_the_report_and_stdout_stays_empty(tmp_path):
    _two_findings(tmp_path)
    result = run_cli(".", *TARGET, "--format", "json", "--output-file", "report.json", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert len(json.loads((tmp_path / "report.json").read_text())) == 3


# Mistakes are usage errors ----------------------------------------------------
@pytest.mark.parametrize(
    "args,suggestion",
    [
        (["--select", "FOO"], "did you mean EXP?"),
        (["--select", "EXP9"], "did you mean EXP?"),
        (["--ignore", "EXP1O1"], "did you mean EXP101?"),
        (["--extend-select", "EXP2O"], "did you mean EXP20?"),
    ],
)
def test_unknown_selectors_are_usage_errors_naming_the_closest_choice(tmp_path, args, suggestion):
    (tmp_path / "good.py").write_text(CLEAN)
    result = run_cli("good.py", *args, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"is not a rule code or a prefix of one; {suggestion}" in result.stderr


def test_unknown_selectors_in_pyproject_are_usage_errors(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.exportlint]\nignore = ["EXP999"]\n')
    (tmp_path / "good.py").write_text(CLEAN)
    result = run_cli("good.py", cwd=tmp_path)
    assert result.returncode == 2 and "ignore: 'EXP999' is not a rule code" in result.stderr


def test_explain_takes_the_rule_names_list_rules_shows(tmp_path):
    out = run_cli("--explain", "round-symbolic-size", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("## EXP101 round-symbolic-size")


def test_explain_of_a_misspelt_name_suggests_the_rule(tmp_path):
    result = run_cli("--explain", "round-symbolic-sizes", cwd=tmp_path)
    assert result.returncode == 2 and "did you mean round-symbolic-size?" in result.stderr


def test_the_code_table_read_without_importing_the_rules_is_the_registry():
    rule_names = {code: name for code, name in names().items() if code in RULES_BY_CODE}
    assert rule_names == {code: rule.meta.name for code, rule in RULES_BY_CODE.items()}
