import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from exportlint.config import build_settings

ROOT = Path(__file__).resolve().parent.parent

# The fixture projects are linted, never run: their own tests/ folders hold export calls, not tests.
collect_ignore_glob = ["projects/*"]


def settings(**options):
    """Settings as the CLI would build them from `--option value` pairs."""
    return build_settings({key.replace("_", "-"): value for key, value in options.items()})


@pytest.fixture
def write(tmp_path):
    def _write(name, source, mode="w"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, bytes):
            path.write_bytes(source)
        else:
            path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    return _write


def run_cli(*args, cwd=None, stdin=None, env=None, concise=True):
    """Run `python -m exportlint` in a subprocess, as users do. Tests compare
    findings line by line: the one-line format, unless a test picks a format
    (or asks for the default with concise=False)."""
    if concise and "--format" not in args:
        args = (*args, "--format", "concise")
    full_env = dict(os.environ, NO_COLOR="1", EXPORTLINT_CACHE_DIR=str(Path(cwd or ".").resolve() / ".cache-test"))
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "exportlint", *map(str, args)],
        cwd=cwd, input=stdin, capture_output=True, text=True, env=full_env, timeout=300,
    )
