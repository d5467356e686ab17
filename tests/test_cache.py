"""The result cache: unchanged files cost nothing, and any change is seen."""

import json

from conftest import run_cli

ATTR = """\
import torch.nn as nn


class Keep(nn.Module):
    def forward(self, x):
        self.last = x
        return x
"""


def _findings(result):
    assert result.returncode in (0, 1), result.stderr
    return [(f["path"], f["line"], f["column"], f["code"], f["severity"]) for f in json.loads(result.stdout)]


def _cache_entries(root, kind="analysis"):
    """The stored analyses, one [finding rows, flows] per (settings, file bytes, facts)."""
    files = (root / ".cache-test").glob(f"*/{kind}/*/*.json")
    return [json.loads(f.read_text())["value"][0] for f in files]


def test_a_warm_run_reports_the_same_findings_without_loading_libcst(tmp_path):
    (tmp_path / "m.py").write_text(ATTR)
    cold = run_cli("m.py", "--format", "json", cwd=tmp_path)
    assert _findings(cold) == [("m.py", 6, 9, "EXP201", "warning")]
    assert [len(rows) for rows, _ in _cache_entries(tmp_path)] == [1]  # m.py's one finding
    assert len(_cache_entries(tmp_path, "structure")) == 1
    warm = run_cli("m.py", "--format", "json", cwd=tmp_path, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert _findings(warm) == _findings(cold)
    assert "exportlint.cli" in warm.stderr  # the import profile is there...
    assert "libcst" not in warm.stderr  # ...and the parser was never loaded


def test_an_edited_file_is_linted_again(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(ATTR)
    assert [f[1] for f in _findings(run_cli("m.py", "--format", "json", cwd=tmp_path))] == [6]
    path.write_text(ATTR.replace("        self.last = x\n", "        y = x\n        self.last = y\n"))
    assert [f[1] for f in _findings(run_cli("m.py", "--format", "json", cwd=tmp_path))] == [7]
    path.write_text(ATTR.replace("        self.last = x\n", ""))
    assert _findings(run_cli("m.py", "--format", "json", cwd=tmp_path)) == []


def test_results_are_kept_apart_by_target_torch_and_selection(tmp_path):
    (tmp_path / "m.py").write_text(ATTR)
    # model_attr_mutation fails before 2.10 (an error) and only warns from 2.10.
    old = _findings(run_cli("m.py", "--format", "json", "--target-torch", "2.9", cwd=tmp_path))
    new = _findings(run_cli("m.py", "--format", "json", "--target-torch", "2.13", cwd=tmp_path))
    assert [f[4] for f in old] == ["error"] and [f[4] for f in new] == ["warning"]
    again = _findings(run_cli("m.py", "--format", "json", "--target-torch", "2.9", cwd=tmp_path))
    assert again == old
    assert _findings(run_cli("m.py", "--format", "json", "--ignore", "EXP201", cwd=tmp_path)) == []
    assert len(_cache_entries(tmp_path)) == 3


def test_no_cache_writes_nothing(tmp_path):
    (tmp_path / "m.py").write_text(ATTR)
    run_cli("m.py", "--no-cache", cwd=tmp_path)
    assert not (tmp_path / ".cache-test").exists()
