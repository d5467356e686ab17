"""Export sites read from one file, and the dim flavours they give a model of the same file.

The per-file API (export_sites) is what a project index carries across files;
the fixture projects hold the site in a script next to the model, in a test
file, and in another package.
"""

import pickle
import textwrap

import libcst as cst
import pytest

from conftest import run_cli, settings
from exportlint.analysis.export_sites import AUTO, DYNAMIC, NAMED, UNKNOWN, DimSpec, export_sites
from exportlint.analysis.models import ModelMap
from exportlint.engine import lint_text


def sites(source):
    module = cst.parse_module(textwrap.dedent(source))
    return export_sites(module, ModelMap(module).imports)


def only(source):
    found = sites(source)
    assert len(found) == 1, found
    return found[0]


def dims(site, position=None, keyword=""):
    for spec in site.inputs:
        if (position is not None and spec.position == position) or (keyword and spec.keyword == keyword):
            return dict(spec.dims)
    raise AssertionError(f"no input {position or keyword} in {site.inputs}")


HEADER = "import torch\nfrom torch.export import Dim, ShapesCollection, export\nfrom pkg.models import Net\n"


def test_no_dynamic_shapes_means_every_dim_static():
    site = only(HEADER + "export(Net(), (torch.randn(2, 8, 4),))\n")
    assert (site.model, site.dynamic_shapes, site.inputs[0].sizes) == ("pkg.models.Net", "none", (2, 8, 4))


def test_dict_by_parameter_name_with_a_named_dim():
    site = only(HEADER + 'export(Net(), (x,), dynamic_shapes={"x": {1: Dim("t", min=2, max=128)}})\n')
    assert dims(site, keyword="x") == {1: DimSpec(NAMED, "t", 2, 128, text='Dim("t", min=2, max=128)')}


def test_tuple_by_position_with_auto_dynamic_and_static():
    site = only(HEADER + "export(Net(), (x, m), dynamic_shapes=((Dim.AUTO, Dim.DYNAMIC, Dim.STATIC), None))\n")
    assert {i: d.flavour for i, d in dims(site, 0).items()} == {0: AUTO, 1: DYNAMIC}
    assert dims(site, 1) == {}


def test_derived_dims_keep_their_multiple_and_offset():
    site = only(HEADER + 'h = Dim("h", max=64)\nexport(Net(), (x, y), dynamic_shapes=({1: 2 * h}, {0: h + 1}))\n')
    assert (dims(site, 0)[1].multiple, dims(site, 0)[1].max) == (2, 128)
    assert (dims(site, 1)[0].offset, dims(site, 1)[0].max) == (1, 65)


def test_spec_built_in_a_variable_and_a_helper():
    site = only(HEADER + '''
def make_shapes():
    t = Dim("t", max=128)
    return {"ids": {1: t}}

def main():
    shapes = make_shapes()
    export(Net.from_pretrained("x").eval(), (ids,), dynamic_shapes=shapes, strict=True)
''')
    assert (site.model, site.strict, dims(site, keyword="ids")[1].name) == ("pkg.models.Net", True, "t")


def test_shapes_collection_and_dims_helper():
    site = only(HEADER + '''
a, b = torch.export.dims("a", "b", max=64)
x = torch.randn(2, 8)
sc = ShapesCollection()
sc[x] = {0: a, 1: b}
export(Net(), (x,), dynamic_shapes=sc)
''')
    assert {i: d.name for i, d in dims(site, 0).items()} == {0: "a", 1: "b"}


def test_nested_container_input_is_unreadable_not_guessed():
    site = only(HEADER + 'export(Net(), (x,), dynamic_shapes={"batch": {"ids": {1: Dim("t")}}})\n')
    spec = next(s for s in site.inputs if s.keyword == "batch")
    assert not spec.readable


def test_unknown_spec_variable_is_unreadable():
    assert only(HEADER + "export(Net(), (x,), dynamic_shapes=SHAPES)\n").dynamic_shapes == "unreadable"


def test_other_export_entry_points():
    found = sites(HEADER + '''
torch.export.export_for_training(Net(), (x,))
torch.export.draft_export(Net(), (x,))
torch.onnx.export(Net(), (x,), "m.onnx", dynamo=True, dynamic_shapes=({0: Dim.AUTO},))
torch.onnx.export(Net(), (x,), "m.onnx", dynamo=False)
torch._dynamo.export(Net(), dynamic_shapes=({0: Dim("b")},))(x)
''')
    assert [s.function.rsplit(".", 1)[-1] for s in found] == ["export_for_training", "draft_export", "export", "export"]
    assert dims(found[3], 0)[0].name == "b"


def test_wrapper_passing_its_arguments_on_is_followed():
    site = only(HEADER + '''
def export_model(model, example, shapes=None):
    return torch.export.export(model, example, dynamic_shapes=shapes, strict=False)

export_model(Net(), (torch.randn(1, 8),), ({1: Dim.AUTO},))
''')
    got = (site.via, site.strict, dims(site, 0)[1].flavour, site.inputs[0].sizes)
    assert got == ("export_model", False, AUTO, (1, 8))


def test_example_inputs_of_python_values_and_classes():
    site = only(HEADER + "class Batch:\n    pass\n\nexport(Net(), (x, 3, 0.5, True, 'a', Batch()))\n")
    assert [s.example for s in site.inputs][1:] == ["int", "float", "bool", "str", "class:Batch"]


def test_sites_are_plain_data():
    site = only(HEADER + 'export(Net(), (torch.randn(2, 8),), dynamic_shapes={"x": {1: Dim("t")}})\n')
    assert pickle.loads(pickle.dumps(site)) == site
    assert DimSpec(UNKNOWN).dynamic is False


# The same file: sites decide which dims rules see as dynamic --------------------

MODEL = '''\
import torch
from torch.export import Dim


class Model(torch.nn.Module):
    def forward(self, x):
        b, t, d = x.shape
        half = x.shape[1] // 2
        pairs = x.reshape(b, 2, -1)
        keep = round(x.shape[1] / 2)
        rot = x.shape[-1] // 2
        if x.shape[2] == 4:
            x = x + 1
        if x.shape[1] == 8:
            x = x * 2
        return x[:, :half] + pairs.sum() + x[:, :keep].sum() + rot


if __name__ == "__main__":
    torch.export.export(Model(), (torch.randn(2, 8, 4),), dynamic_shapes=SHAPES)
'''


def findings(shapes, **options):
    found = lint_text(MODEL.replace("SHAPES", shapes), "model.py", settings(target_torch="2.13", **options))
    return sorted((d.line, d.code) for d in found)


def test_no_dynamic_shapes_no_size_findings():
    assert findings("None") == []


def test_named_dim_flags_the_sequence_dim_and_not_the_static_head_dim():
    assert findings('{"x": {1: Dim("t", max=128)}}') == [
        (8, "EXP130"), (9, "EXP131"), (10, "EXP101"), (14, "EXP132"),
    ]


def test_auto_dims_give_warnings_only_where_export_specialises():
    found = lint_text(MODEL.replace("SHAPES", '{"x": {1: Dim.AUTO}}'), "model.py", settings(target_torch="2.13"))
    assert [(d.line, d.code, d.severity.value) for d in found] == [(14, "EXP212", "warning")]


def test_message_names_the_dim_and_where_it_was_declared():
    found = lint_text(MODEL.replace("SHAPES", '{"x": {1: Dim("t", max=128)}}'), "model.py", settings())
    assert '`x.shape[1]` is dynamic (`Dim("t", max=128)` at model.py:20)' in found[0].message
    assert "multiple of 2" in found[0].message


def test_without_a_site_settings_declare_the_dims(write, tmp_path):
    model = MODEL.split('if __name__')[0]
    write("pkg/model.py", model)
    write("pyproject.toml", '''
        [tool.exportlint.dynamic-shapes."pkg.model.Model"]
        x = { 1 = "Dim('t', max=128)" }
    ''')
    result = run_cli("pkg", "--target-torch", "2.13", "--no-cache", cwd=tmp_path)
    codes = sorted(line.split()[1] for line in result.stdout.splitlines())
    assert codes == ["EXP101", "EXP130", "EXP131", "EXP132"], result.stdout + result.stderr


@pytest.mark.parametrize("table,problem", [
    ('x = { 1 = "Dim(t)" }', "is not a dim spec"),
    ('x = { one = "Dim.AUTO" }', "dim keys are indices"),
    ('x = 3', "expected a table"),
])
def test_bad_settings_are_a_usage_error(write, tmp_path, table, problem):
    write("m.py", "x = 1\n")
    write("pyproject.toml", f'[tool.exportlint.dynamic-shapes.Model]\n{table}\n')
    result = run_cli("m.py", cwd=tmp_path)
    assert result.returncode == 2 and problem in result.stderr, result.stderr


def test_default_dims_static_silences_size_rules_without_a_site():
    model = MODEL.split('if __name__')[0]
    found = lint_text(model, "m.py", settings(target_torch="2.13", default_dims="static"))
    assert found == []


def test_strict_at_the_site_sets_the_mode_of_that_models_findings():
    source = '''\
import torch


class Model(torch.nn.Module):
    def forward(self, x):
        return x[: torch.sym_min(x.shape[0], 4)]


torch.export.export(Model(), (torch.randn(8, 2),), strict=STRICT)
'''
    target = settings(target_torch="2.7", strict=False)
    assert lint_text(source.replace("STRICT", "False"), "m.py", target) == []
    found = lint_text(source.replace("STRICT", "True"), "m.py", target)
    assert [(d.code, "torch 2.7 strict" in d.message) for d in found] == [("EXP102", True)]


def test_forward_defaults_left_out_and_python_values_are_named():
    source = '''\
import torch


class Model(torch.nn.Module):
    def forward(self, x, n, scale: float = 2.0, mask=None):
        return x * scale * n


torch.export.export(Model(), (torch.randn(8, 2), 3))
'''
    found = lint_text(source, "m.py", settings(target_torch="2.13"))
    assert [d.code for d in found] == ["EXP235"]
    assert "`n` = int, `scale` (default 2.0)" in found[0].message


def test_fixture_project_sites_in_a_script_a_test_and_another_package(write, tmp_path):
    """Per file: the site names the class as that file's imports qualify it; the lead's index joins them."""
    write("pkg/models.py", MODEL.split("if __name__")[0])
    write("scripts/export.py", '''
        import torch
        from torch.export import Dim
        from pkg.models import Model as Net

        shapes = {"ids": {1: Dim("seq", max=512)}}
        torch.export.export(Net(), (torch.randint(0, 9, (2, 16)),), dynamic_shapes=shapes)
    ''')
    write("tests/test_export.py", '''
        import torch
        import pkg.models as models

        def test_exports():
            torch.export.export(models.Model(), (torch.zeros(2, 16, dtype=torch.long),), strict=True)
    ''')
    write("other/deploy.py", '''
        import torch
        from pkg import models

        def export_for(model_cls, shapes):
            return torch.onnx.export(model_cls(), (torch.ones(1, 4),), "m.onnx", dynamo=True, dynamic_shapes=shapes)
    ''')
    by_file = {}
    for name in ("scripts/export.py", "tests/test_export.py", "other/deploy.py"):
        by_file[name] = sites((tmp_path / name).read_text())
    script, = by_file["scripts/export.py"]
    got = (script.model, script.inputs[0].sizes, dims(script, keyword="ids")[1].max)
    assert got == ("pkg.models.Model", (2, 16), 512)
    test, = by_file["tests/test_export.py"]
    assert (test.model, test.strict, test.dynamic_shapes) == ("pkg.models.Model", True, "none")
    deploy, = by_file["other/deploy.py"]
    assert (deploy.model, deploy.dynamic_shapes) == ("", "unreadable")  # a class passed in: the index cannot tell


def test_a_site_from_another_file_declares_the_dims_of_this_files_model():
    """What the project index does: read the script's site, name the class as the model file does, pass it on."""
    import dataclasses

    from exportlint.analysis.flavours import FlavourTracker
    from exportlint.analysis.shapes import shapes_of_file
    from exportlint.context import FileContext
    from exportlint.engine import active_rules
    from exportlint.traversal import TracedWalker

    script = only(HEADER + 'export(Net(), (torch.randn(2, 8, 4),), dynamic_shapes={"x": {1: Dim("t", max=128)}})\n')
    model_source = MODEL.split("if __name__")[0]
    module = cst.parse_module(model_source)
    model_map = ModelMap(module)
    options = settings(target_torch="2.13")
    foreign = [("scripts/export.py", dataclasses.replace(script, model="Model"))]
    ctx = FileContext("pkg/model.py", options.target, model_map)
    ctx.flavours = FlavourTracker(shapes_of_file(module, model_map, model_source, "pkg/model.py", options,
                                                 foreign_sites=foreign))
    TracedWalker(ctx, active_rules(options)).run(model_map.roots())
    found = ctx.diagnostics(module, model_source)
    assert sorted((d.line, d.code) for d in found) == [(8, "EXP130"), (9, "EXP131"), (10, "EXP101"), (14, "EXP132")]
    assert "at scripts/export.py:4" in found[0].message


def test_site_findings_take_the_mode_given_at_their_call():
    # the same unregistered example input, exported once with strict=True: that call's
    # finding states the strict outcome (UserError) in a non-strict run, the other the non-strict one
    from exportlint.cases.unregistered_example_input import CASE

    source = CASE.bad + (
        "\n\nstrict_program = torch.export.export(Model(), (Batch(torch.ones(2, 3)),), strict=True)\n"
        "loose_program = torch.export.export(Model(), (Batch(torch.ones(2, 3)),))\n"
    )
    found = [d for d in lint_text(source, "model.py", settings(target_torch="2.13", strict=False))
             if d.code == "EXP135"]
    assert [d.line for d in found] == [16, 17]
    assert "torch 2.13 strict export fails (UserError" in found[0].message
    assert "torch 2.13 non-strict export fails (ValueError" in found[1].message
