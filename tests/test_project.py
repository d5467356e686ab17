"""exportlint on its own repository: the code passes its own flake8 config
(the EXP plugin included), and the CLI finds nothing outside the deliberately
bad catalog and example."""

import json
import subprocess
import sys

from conftest import ROOT, run_cli


def test_the_repository_passes_its_own_flake8_config():
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "."], cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_the_repository_is_clean_under_exportlint():
    result = run_cli(".", "--no-cache", cwd=ROOT)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_the_example_is_flagged_when_named():
    # The exclusion in pyproject.toml keeps `exportlint .` clean; naming the file still lints it.
    result = run_cli("examples/model.py", "--no-cache", "--format", "json", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert sorted(f["code"] for f in json.loads(result.stdout)) == ["EXP101", "EXP201", "EXP202"]
