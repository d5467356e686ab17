"""An oracle nobody here wrote: the installed torch's own ExportDB examples.

Each example that torch marks NOT_SUPPORTED_YET and that really fails to export
must be flagged by the rule our catalog links it to; each example that exports
in a mode must get no EXP1xx (export-fails) finding for that mode.
"""

import inspect
from pathlib import Path

import pytest
import torch  # the test extra installs it: missing, the suite fails, never skips
import torch._export.db.examples as db
from torch._export.db.case import SupportLevel

from conftest import settings
from exportlint.cases import all_cases
from exportlint.engine import lint_text
from exportlint.measure import _quiet
from exportlint.target import installed_torch

EXAMPLES = db.all_examples()
OUR_CASES = {case.exportdb: case for case in all_cases().values() if case.exportdb}
MODES = ("strict", "non-strict")


def _exports(example, strict):
    with _quiet():
        try:
            torch.export.export(
                example.model, example.example_args, example.example_kwargs,
                dynamic_shapes=example.dynamic_shapes, strict=strict,
            )
            return True
        except Exception:
            return False


def _source(example):
    model = example.model if isinstance(example.model, type) else type(example.model)
    return Path(inspect.getsourcefile(model)).read_text(encoding="utf-8")


def test_every_exportdb_example_has_a_case_in_our_catalog():
    assert sorted(set(EXAMPLES) - set(OUR_CASES)) == []


@pytest.mark.parametrize("name,mode", [(n, m) for n in sorted(EXAMPLES) for m in MODES])
def test_linter_agrees_with_what_export_does_on_the_exportdb_example(name, mode):
    example = EXAMPLES[name]
    target = settings(target_torch=str(installed_torch()), strict=(mode == "strict"))
    codes = {d.code for d in lint_text(_source(example), f"{name}.py", target)}
    exports = _exports(example, strict=(mode == "strict"))
    if exports:
        assert not {c for c in codes if c.startswith("EXP1")}, f"{name} exports in {mode} but got {codes}"
    elif example.support_level == SupportLevel.NOT_SUPPORTED_YET:
        linked = set(OUR_CASES[name].rules) if name in OUR_CASES else set()
        assert linked, f"{name} fails in {mode} but no rule is linked to it"
        assert linked & codes, f"{name} fails in {mode}; expected {linked}, got {codes}"
