"""The project seen as a whole: bases, helpers and values that cross files.

Each fixture under tests/projects/ is a small package whose files mark with
``# expect: EXPnnn`` the lines the linter must flag; every other line must
stay clean. The CLI lints the project; the flake8 plugin lints each file alone,
as an editor runs it, and must report the same.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import settings
from exportlint.analysis.imports import resolve_relative
from exportlint.analysis.modules import module_name, project_root
from exportlint.project_lint import lint_project

PROJECTS = Path(__file__).parent / "projects"
FIXTURES = sorted(p.name for p in PROJECTS.iterdir() if p.is_dir())
# flake8 finds the plugin through the installed package; PYTHONPATH (a worktree's tests) must
# reach it too, or the plugin under test is the installed copy's.
FLAKE8_ENV = {"EXPORTLINT_NO_CACHE": "1", "PATH": "", **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"}}
EXPECT = re.compile(r"#\s*expect:\s*(EXP\d{3}(?:\s*,\s*EXP\d{3})*)")


def expected(project: Path):
    found = set()
    for path in sorted(project.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group(1)):
                    found.add((str(path.relative_to(project)), number, code))
    return found


def cli_findings(project: Path, *options):
    result = subprocess.run(
        [sys.executable, "-m", "exportlint", ".", "--format", "json", "--no-cache", *options],
        cwd=project, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    return {(d["path"].removeprefix("./"), d["line"], d["code"]) for d in json.loads(result.stdout)}


@pytest.mark.parametrize("name", FIXTURES)
def test_the_cli_flags_exactly_the_marked_lines(name):
    project = PROJECTS / name
    assert cli_findings(project) == expected(project)


@pytest.mark.parametrize("name", FIXTURES)
def test_flake8_on_each_file_alone_agrees_with_the_cli(name):
    project = PROJECTS / name
    found = set()
    for path in sorted(project.rglob("*.py")):
        relative = str(path.relative_to(project))
        result = subprocess.run(
            [sys.executable, "-m", "flake8", "--select", "EXP", "--format", "%(path)s|%(row)d|%(code)s", relative],
            cwd=project, capture_output=True, text=True, timeout=300, env=FLAKE8_ENV,
        )
        assert result.returncode in (0, 1), result.stderr
        for row in result.stdout.splitlines():
            file, line, code = row.split("|")
            found.add((file.removeprefix("./"), int(line), code))
    assert found == expected(project)


def test_data_dependent_values_carry_where_they_were_born_across_files():
    project = PROJECTS / "keyword_flow"
    result = subprocess.run(
        [sys.executable, "-m", "exportlint", ".", "--format", "json", "--no-cache"],
        cwd=project, capture_output=True, text=True, timeout=300,
    )
    (finding,) = json.loads(result.stdout)
    assert finding["path"].endswith("attention.py")
    assert "`is_global` is data-dependent: `mask.any().item()` at" in finding["message"]
    assert "encoder.py:12" in finding["message"]


def test_a_model_in_a_subpackage_is_found_through_relative_imports_and_a_re_export():
    project = PROJECTS / "relative_bases"
    files = [str(project / "pkg" / "models" / "net.py")]
    (found,) = list(lint_project(files, settings(), jobs=1))
    assert [(d.code, d.line) for d in found] == [("EXP201", 6)]


def test_without_the_project_the_same_file_is_a_guess_that_can_be_turned_off():
    # Alone, Mid's base cannot be resolved: the fallback takes Net for a module...
    source = (PROJECTS / "relative_bases" / "pkg" / "models" / "net.py").read_text()
    from exportlint.engine import lint_text

    assert [d.code for d in lint_text(source, "net.py", settings())] == ["EXP201"]
    # ...and with the fallback off, only the project can say it is one.
    assert lint_text(source, "net.py", settings(unresolved_bases_are_modules=False)) == []


@pytest.mark.parametrize(
    "module,is_package,level,name,resolved",
    [
        ("transformers.models.llama.modeling_llama", False, 3, "modeling_utils", "transformers.modeling_utils"),
        ("transformers.models.llama.modeling_llama", False, 1, "configuration_llama",
         "transformers.models.llama.configuration_llama"),
        ("transformers.models.llama", True, 1, "modeling_llama", "transformers.models.llama.modeling_llama"),
        ("pkg.sub", True, 2, None, "pkg"),
        ("top", False, 2, "x", None),  # above the top package: an ImportError in Python
    ],
)
def test_relative_imports_resolve_as_python_resolves_them(module, is_package, level, name, resolved):
    assert resolve_relative(module, is_package, level, name) == resolved


def test_module_names_and_project_roots_come_from_the_file_system():
    net = PROJECTS / "relative_bases" / "pkg" / "models" / "net.py"
    assert module_name(str(net)) == ("pkg.models.net", False)
    assert module_name(str(net.parent / "__init__.py")) == ("pkg.models", True)
    assert project_root(str(net)) == str(PROJECTS / "relative_bases")
