"""Export calls in one file declare the dims of a model another file defines.

The fixture projects under tests/projects/ (dims_static, dims_named, dims_auto,
sites_across) pin which lines are flagged, by the CLI and by flake8 file by
file; these tests pin what the markers cannot: severities, which of several
calls wins, the cache, and the per-file summary the calls travel in.
"""

import ast
import json
import shutil
from pathlib import Path

from conftest import run_cli, settings
from exportlint.analysis.structure import FileStructure, read_structure
from exportlint.engine import lint_text
from exportlint.project_lint import lint_project, structure_of_text

PROJECTS = Path(__file__).parent / "projects"


def _codes(result):
    assert result.returncode in (0, 1), result.stderr
    return sorted((f["path"].removeprefix("./"), f["line"], f["code"]) for f in json.loads(result.stdout))


def _severities(project):
    result = run_cli(".", "--format", "json", "--no-cache", cwd=PROJECTS / project)
    return {f["severity"] for f in json.loads(result.stdout)}


def test_a_named_dim_declared_in_a_script_gives_errors_and_dim_auto_warnings():
    assert _severities("dims_named") == {"error"}
    assert _severities("dims_auto") == {"warning"}


def test_a_static_export_elsewhere_silences_what_the_model_alone_would_get():
    model = (PROJECTS / "dims_static" / "pkg" / "models" / "encoder.py").read_text()
    alone = {d.code for d in lint_text(model, "encoder.py", settings(target_torch="2.13"))}
    assert alone == {"EXP101", "EXP211"}  # without a site every size may be dynamic
    result = run_cli(".", "--format", "json", "--no-cache", cwd=PROJECTS / "dims_static")
    assert _codes(result) == []


def _copy(project, tmp_path):
    target = tmp_path / project
    shutil.copytree(PROJECTS / project, target)
    return target


def test_editing_the_export_script_re_lints_the_model_it_exports(tmp_path):
    project = _copy("dims_static", tmp_path)
    assert _codes(run_cli(".", "--format", "json", cwd=project)) == []
    named = (PROJECTS / "dims_named" / "scripts" / "export.py").read_text()
    (project / "scripts" / "export.py").write_text(named)
    # The model's bytes did not change: only the facts it was analysed with did.
    found = _codes(run_cli(".", "--format", "json", cwd=project))
    assert {code for _, _, code in found} == {"EXP101", "EXP130", "EXP131", "EXP132", "EXP133"}
    assert {path for path, _, _ in found} == {"pkg/models/encoder.py"}


def _two_scripts(tmp_path, first, second):
    project = _copy("dims_static", tmp_path)
    script = (project / "scripts" / "export.py").read_text()
    named = (PROJECTS / "dims_named" / "scripts" / "export.py").read_text()
    (project / "scripts" / "export.py").unlink()
    (project / "scripts" / first).write_text(script)
    (project / "scripts" / second).write_text(named)
    return project


def test_of_several_export_calls_of_a_model_the_first_file_in_path_order_declares_its_dims(tmp_path):
    static_first = _two_scripts(tmp_path / "a", "a_static.py", "b_named.py")
    assert _codes(run_cli(".", "--format", "json", "--no-cache", cwd=static_first)) == []
    named_first = _two_scripts(tmp_path / "b", "b_static.py", "a_named.py")
    found = _codes(run_cli(".", "--format", "json", "--no-cache", cwd=named_first))
    assert ("pkg/models/encoder.py", 8, "EXP130") in found


def test_an_export_call_in_the_model_file_wins_over_one_elsewhere(tmp_path):
    project = _copy("dims_named", tmp_path)
    model = project / "pkg" / "models" / "encoder.py"
    model.write_text(model.read_text() + "\n\nif __name__ == '__main__':\n"
                     "    torch.export.export(Encoder(), (torch.randn(2, 8, 4),))\n")
    assert _codes(run_cli(".", "--format", "json", "--no-cache", cwd=project)) == []


def test_only_the_linted_file_s_findings_are_reported_when_one_file_is_linted():
    project = PROJECTS / "sites_across"
    files = [str(project / "tools" / "deploy" / "export_scaler.py"), str(project / "pkg" / "models" / "counter.py")]
    script, counter = lint_project(files, settings(target_torch="2.13"), jobs=1)
    assert [(d.code, d.line) for d in script] == [("EXP235", 7)]
    assert "`scale` = float" in script[0].message  # forward's parameter name, from pkg/models/scaler.py
    assert [(d.code, d.line) for d in counter] == [("EXP203", 13)]  # strict=True at tests/test_counter_export.py


def test_an_export_script_alone_still_judges_its_example_inputs():
    script = (
        "import torch\nfrom torch.export import Dim\nfrom pkg.models import Net\n\n"
        'torch.export.export(Net(), (torch.randn(2, 1, 4),), dynamic_shapes=({1: Dim("t", max=128)},))\n'
    )
    assert [(d.line, d.code) for d in lint_text(script, "export.py", settings(target_torch="2.13"))] == [
        (5, "EXP134")
    ]


def test_a_files_structure_carries_its_export_calls_through_the_cache_format():
    path = PROJECTS / "sites_across" / "pkg" / "models" / "export_encoder.py"
    _, data = structure_of_text(str(path), path.read_text(), "digest")  # the module name comes from the path
    structure = FileStructure.from_json(json.loads(json.dumps(data)))
    (site,) = structure.sites
    assert (site.model, site.line, site.inputs[0].sizes) == ("pkg.models.encoder.Encoder", 12, (2, 1, 4))
    (declared,) = [spec for spec in site.inputs if spec.keyword == "tokens"]  # keyed by name, not position
    assert dict(declared.dims)[1].max == 128
    assert FileStructure.from_json(structure.to_json()) == structure


def test_a_forward_signature_keeps_its_literal_defaults_for_calls_elsewhere():
    tree = ast.parse("class M:\n    def forward(self, x, scale=2.0, *, flag=False, mask=None):\n        pass\n")
    (signature,) = read_structure(tree, "m", False).signatures
    assert signature.literal_defaults == (("scale", "2.0"), ("flag", "False"))
