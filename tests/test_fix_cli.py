"""`exportlint --fix`, `--diff` and `--unsafe-fixes`, run as users run them."""

from conftest import run_cli

MODEL = '''\
import torch


class Model(torch.nn.Module):
    def forward(self, x, bias=torch.ones(3)):
        rows = torch.sym_min(x.size(0), 4)  # at most four rows
        assert (x >= 0).all(), "negative input"
        return x[:rows] + bias
'''
OLD_STRICT = ("--target-torch", "2.7", "--strict")  # where EXP102 (sym_min) speaks


def test_diff_prints_a_unified_diff_and_changes_nothing(write, tmp_path):
    path = write("model.py", MODEL)
    result = run_cli("--diff", "model.py", *OLD_STRICT, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("--- a/model.py\n+++ b/model.py\n")
    assert "-        rows = torch.sym_min(x.size(0), 4)  # at most four rows\n" in result.stdout
    assert "+        rows = min(x.size(0), 4)  # at most four rows\n" in result.stdout
    assert "bias=None" not in result.stdout  # unsafe: only with --unsafe-fixes
    assert path.read_text() == MODEL


def test_fix_applies_safe_fixes_and_reports_the_rest(write, tmp_path):
    path = write("model.py", MODEL)
    result = run_cli("--fix", "model.py", *OLD_STRICT, cwd=tmp_path)
    assert path.read_text() == MODEL.replace("torch.sym_min(", "min(")
    assert result.returncode == 1  # the unsafe-fixable finding is left
    assert "EXP102" not in result.stdout and "EXP202" in result.stdout
    assert "with --unsafe-fixes" in result.stderr


def test_unsafe_fixes_then_nothing_left_to_fix(write, tmp_path):
    path = write("model.py", MODEL)
    run_cli("--fix", "--unsafe-fixes", "model.py", cwd=tmp_path)
    fixed = path.read_text()
    assert "def forward(self, x, bias=None):\n        if bias is None:\n            bias = torch.ones(3)\n" in fixed
    assert 'torch._assert_async((x >= 0).all(), "negative input")' in fixed
    again = run_cli("--diff", "--unsafe-fixes", "model.py", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == ""


def test_fix_keeps_the_file_encoding_and_line_endings(write, tmp_path):
    source = "# -*- coding: latin-1 -*-\n# caf\xe9\n" + MODEL
    path = write("model.py", source.replace("\n", "\r\n").encode("latin-1"))
    run_cli("--fix", "model.py", *OLD_STRICT, cwd=tmp_path)
    assert path.read_bytes() == source.replace("torch.sym_min(", "min(").replace("\n", "\r\n").encode("latin-1")


def test_fix_on_stdin_prints_the_fixed_source(tmp_path):
    result = run_cli("--fix", "-", "--stdin-filename", "m.py", *OLD_STRICT, cwd=tmp_path, stdin=MODEL)
    assert result.stdout == MODEL.replace("torch.sym_min(", "min(")
    assert "EXP202" in result.stderr
