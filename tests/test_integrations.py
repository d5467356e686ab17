"""Where users meet the linter: flake8, CI formats, pre-commit. Same findings everywhere."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from exportlint.cases import all_cases
from exportlint.flake8_plugin import ExportLintPlugin

from conftest import ROOT, run_cli

ATTR = """\
import torch


class Keep(torch.nn.Module):
    def forward(self, x):
        self.seen = x
        return x[: round(x.shape[0] / 2)]
"""


def flake8(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "EXP", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )


def test_flake8_reports_the_same_lines_columns_and_codes_as_the_cli(tmp_path):
    (tmp_path / "m.py").write_text(ATTR)
    cli = run_cli("m.py", "--target-torch", "2.13", "--non-strict", cwd=tmp_path).stdout.splitlines()
    f8 = flake8("--exportlint-target-torch", "2.13", "--exportlint-strict", "false", "m.py", cwd=tmp_path)
    assert f8.stdout.splitlines() == cli


def test_flake8_reads_plugin_options_from_its_config(tmp_path):
    (tmp_path / "m.py").write_text(ATTR)
    (tmp_path / "setup.cfg").write_text("[flake8]\nexportlint-target-torch = 2.9\nexportlint-strict = true\n")
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "EXP", "m.py"], cwd=tmp_path, capture_output=True, text=True
    )
    assert "torch 2.9 strict export fails" in result.stdout


def test_flake8_plugin_skips_files_without_model_code_before_parsing(monkeypatch):
    import libcst

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed a file that cannot hold a model")

    monkeypatch.setattr(libcst, "parse_module", no_parse)
    plugin = ExportLintPlugin(None, ["x = 1\n", "print(x)\n"], "plain.py")
    assert list(plugin.run()) == []


@pytest.mark.parametrize("select,runs", [("E1,E2,E3,E4,E5,E7,E9,F,W", False), ("E,F,W", True), ("EXP101", True)])
def test_flake8_plugin_does_nothing_when_no_exp_code_is_selected(tmp_path, select, runs):
    # flake8 runs every plugin whatever --select says; with no EXP code selectable the plugin
    # returns before reading the project (no cache is written). `E` is a prefix of `EXP`.
    (tmp_path / "m.py").write_text(ATTR)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "helpers.py").write_text("def half(n):\n    return n // 2\n")  # a project file: its summary is cached
    cache = tmp_path / "cache"
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", select, "m.py"], cwd=tmp_path,
        capture_output=True, text=True, timeout=300, env={**os.environ, "EXPORTLINT_CACHE_DIR": str(cache)},
    )
    assert ("EXP101" in result.stdout) is runs, result.stdout + result.stderr
    assert cache.exists() is runs


@pytest.mark.parametrize("select,imported", [("E1,F", False), ("EXP1", True)])
def test_flake8_with_no_exp_code_selected_does_not_import_libcst(tmp_path, select, imported):
    # The plugin decides from the codes' names alone (exportlint.codes), so a flake8 run that
    # selects none of them does not pay for importing LibCST and the rules (about 0.1 s).
    (tmp_path / "m.py").write_text(ATTR)
    probe = (
        "import sys\n"
        "from flake8.main.application import Application\n"
        f"Application()._run(['--isolated', '--select', {select!r}, 'm.py'])\n"
        "print('libcst' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "EXPORTLINT_NO_CACHE": "1"})
    assert result.stdout.strip().splitlines()[-1] == str(imported), result.stdout + result.stderr


def test_flake8_replays_a_text_it_linted_before_and_the_language_server_does_not(tmp_path, monkeypatch):
    # flake8 shows no fixes, so an unchanged file's findings come from the cache (`flake8 src/` in CI,
    # pre-commit); the language server's code actions need fixes, which the cache does not keep.
    import exportlint.project_lint as project_lint
    from exportlint.config import build_settings
    from exportlint.lsp import lint_document

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EXPORTLINT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "pyproject.toml").write_text("")
    path = str(tmp_path / "m.py")
    Path(path).write_text(ATTR)
    analysed = []
    real_job = project_lint.analysis_job

    def counted(job, settings):
        analysed.append(job[0])
        return real_job(job, settings)

    monkeypatch.setattr(project_lint, "analysis_job", counted)

    def run_plugin(text):
        return [(row, code.split()[0]) for row, _, code, _ in ExportLintPlugin(None, text.splitlines(True), path).run()]

    first = run_plugin(ATTR)
    assert [code for _, code in first] == ["EXP201", "EXP101"] and analysed == [path]
    assert run_plugin(ATTR) == first and analysed == [path]  # replayed
    assert run_plugin(ATTR + "\n") == first and analysed == [path, path]  # another text: analysed
    lint_document(ATTR, path, ExportLintPlugin._settings or build_settings({}))
    assert analysed == [path, path, path]


def _write_catalog(directory: Path):
    for name, case in all_cases().items():
        (directory / f"{name}.py").write_text(case.bad)
        if case.fixed:
            (directory / f"{name}_fixed.py").write_text(case.fixed)


def test_cli_and_flake8_agree_on_the_whole_catalog(tmp_path):
    _write_catalog(tmp_path)
    cli = json.loads(run_cli(".", "--format", "json", "--target-torch", "2.13", "--non-strict", cwd=tmp_path).stdout)
    cli_set = {(Path(d["path"]).name, d["line"], d["column"], d["code"]) for d in cli}
    f8 = flake8(
        "--exportlint-target-torch", "2.13", "--exportlint-strict", "false",
        "--format", "%(path)s|%(row)d|%(col)d|%(code)s", ".", cwd=tmp_path,
    )
    f8_set = set()
    for line in f8.stdout.splitlines():
        path, row, col, code = line.split("|")
        f8_set.add((Path(path).name, int(row), int(col), code))
    assert cli_set and cli_set == f8_set


def test_sarif_output_is_valid_sarif_2_1_0(tmp_path):
    (tmp_path / "m.py").write_text(ATTR)
    log = json.loads(run_cli("m.py", "--format", "sarif", cwd=tmp_path).stdout)
    schema = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0.schema.json").read_text())
    jsonschema.validate(log, schema, format_checker=jsonschema.FormatChecker())
    results = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [(r["ruleId"], rules[r["ruleIndex"]]["id"]) for r in results] == [("EXP201", "EXP201"), ("EXP101", "EXP101")]
    assert all(rule.get("helpUri", "").startswith("https://") for rule in rules)


def test_sarif_schema_rejects_a_broken_log():
    schema = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0.schema.json").read_text())
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "EXP1"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_github_format_emits_workflow_annotations(tmp_path):
    (tmp_path / "m.py").write_text(ATTR)
    out = run_cli("m.py", "--format", "github", "--target-torch", "2.13", cwd=tmp_path).stdout.splitlines()
    assert out[0].startswith("::warning file=m.py,line=6,col=9,endLine=6,endColumn=18,title=EXP201::EXP201 ")
    assert out[1].startswith("::error file=m.py,line=7,col=20,")


def test_json_output_has_every_documented_field(tmp_path):
    (tmp_path / "m.py").write_text(ATTR)
    first = json.loads(run_cli("m.py", "--format", "json", cwd=tmp_path).stdout)[0]
    assert sorted(first) == sorted(
        ["code", "message", "path", "line", "column", "end_line", "end_column", "severity", "case", "url"]
    )
    # the url ends in GitHub's anchor for the heading "## EXP201 module-attribute-mutation"
    assert first["case"] == "model_attr_mutation"
    assert first["url"].rsplit("#", 1)[1] == "exp201-module-attribute-mutation"


def test_text_output_is_coloured_only_on_a_terminal(tmp_path):
    import io

    from exportlint.diagnostic import Diagnostic
    from exportlint.output.reporters import concise, text

    class Tty(io.StringIO):
        def isatty(self):
            return True

    finding = [Diagnostic("m.py", 1, 1, "EXP101", "msg")]
    for reporter in (text, concise):
        coloured, plain, disabled = Tty(), io.StringIO(), Tty()
        reporter(finding, coloured)
        reporter(finding, plain)
        reporter(finding, disabled, no_color=True)
        assert "\033[" in coloured.getvalue()
        assert "\033[" not in plain.getvalue() and plain.getvalue() == disabled.getvalue()
        assert plain.getvalue().startswith("m.py:1:1: EXP101 ")


# A fresh virtual environment: what a user gets from `pip install` -------------
@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory):
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], capture_output=True, text=True, timeout=600
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    return venv


def test_fresh_install_has_no_torch_and_runs_flake8_plugin(fresh_venv, tmp_path):
    (tmp_path / "m.py").write_text(ATTR)
    has_torch = subprocess.run([str(fresh_venv / "bin" / "python"), "-c", "import torch"], capture_output=True)
    assert has_torch.returncode != 0, "torch must not be a runtime dependency"
    result = subprocess.run(
        [str(fresh_venv / "bin" / "flake8"), "--select", "EXP", "m.py"], cwd=tmp_path, capture_output=True, text=True
    )
    codes = [line.split()[1] for line in result.stdout.splitlines()]
    assert (result.returncode, codes) == (1, ["EXP201", "EXP101"])


def test_fresh_install_cli_targets_newest_measured_torch_without_torch(fresh_venv, tmp_path):
    """The installed package carries the data file: the newest release it holds is the target."""
    from exportlint.measured import newest_measured

    (tmp_path / "m.py").write_text(ATTR)
    result = subprocess.run(
        [str(fresh_venv / "bin" / "exportlint"), "m.py"], cwd=tmp_path, capture_output=True, text=True
    )
    newest = newest_measured()
    assert f"torch {newest.major}.{newest.minor} non-strict" in result.stdout
    assert "no torch installed here" in result.stderr and "--target-torch" in result.stderr


def test_verify_without_torch_says_so(fresh_venv, tmp_path):
    result = subprocess.run(
        [str(fresh_venv / "bin" / "exportlint"), "verify"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 2 and "needs torch" in result.stderr


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(cwd), "PATH": "/usr/bin:/bin"})


def test_pre_commit_hook_runs_through_try_repo(fresh_venv, tmp_path):
    repo = tmp_path / "user-repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / "bad.py").write_text(ATTR)
    (repo / "good.py").write_text(
        "import torch\n\n\nclass M(torch.nn.Module):\n    def forward(self, x):\n        return x\n"
    )
    (repo / "notes.txt").write_text("no python here\n")
    _git("add", ".", cwd=repo)
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "exportlint", "--all-files"]
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pc-home"), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
           "HOME": str(tmp_path)}
    result = subprocess.run(pre_commit, cwd=repo, capture_output=True, text=True, timeout=900, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bad.py:6:9: EXP201" in result.stdout and "good.py" not in result.stdout.split("exportlint", 1)[1]
    # Nothing staged that is Python: the hook is skipped, not failed.
    (repo / "bad.py").unlink()
    (repo / "good.py").unlink()
    _git("add", "-A", cwd=repo)
    result = subprocess.run(pre_commit, cwd=repo, capture_output=True, text=True, timeout=900, env=env)
    assert result.returncode == 0 and "no files to check" in result.stdout.lower(), result.stdout + result.stderr
