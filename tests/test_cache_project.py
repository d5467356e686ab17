"""The project record: every file's structure in one cache entry, looked up by content.

A warm run reads the record instead of one entry per file; an edited file's structure
is not in it under its new bytes, so it is read again, what depends on it is analysed
again, and the record is written anew. A bad record, or a bad entry in it, is a miss.
"""

import json

import pytest

import exportlint.project_lint as project_lint
from conftest import settings
from exportlint.analysis.facts import NO_FLOWS
from exportlint.cache import PROJECT, ProjectCache
from exportlint.project_lint import lint_project
from exportlint.store import Store

BASE = """\
import torch.nn as nn


class Base(nn.Module):
    pass
"""

NOT_A_MODULE = """\
class Base:
    pass
"""

MODEL = """\
from base import Base


class Net(Base):
    def forward(self, x):
        self.last = x
        return x
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "base.py").write_text(BASE)
    (tmp_path / "model.py").write_text(MODEL)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _lint(root, paths=("model.py",)):
    cache = ProjectCache(Store.open("test-salt", str(root / "cache")), settings().fingerprint())
    return [[(d.code, d.line) for d in found] for found in lint_project(list(paths), settings(), jobs=1, cache=cache)]


def _records(root):
    return sorted((root / "cache").glob(f"*/{PROJECT}/*/*.json"))


def _record_keys(root):
    (record,) = _records(root)
    return sorted(json.loads(record.read_text())["value"]["structures"])


def _no_structure_is_read(monkeypatch):
    def refuse(path, settings):
        raise AssertionError(f"structure of {path} read again")

    monkeypatch.setattr(project_lint, "structure_job", refuse)


def test_a_warm_run_takes_every_structure_from_the_record(project, monkeypatch):
    assert _lint(project) == [[("EXP201", 6)]]
    assert len(_record_keys(project)) == 2  # base.py and model.py
    for entry in (project / "cache").glob("*/structure/*/*.json"):
        entry.unlink()  # the files' own entries gone: only the record can serve them
    _no_structure_is_read(monkeypatch)
    assert _lint(project) == [[("EXP201", 6)]]
    assert _lint(project, ["model.py", "base.py"]) == [[("EXP201", 6)], []]


def test_an_edited_file_is_read_again_and_what_depends_on_it_analysed_again(project):
    assert _lint(project) == [[("EXP201", 6)]]
    before = _record_keys(project)
    (project / "base.py").write_text(NOT_A_MODULE)  # Net is no module any more: no finding
    assert _lint(project) == [[]]
    after = _record_keys(project)
    assert len(after) == 2 and len(set(after) & set(before)) == 1  # model.py's entry kept, base.py's replaced
    (project / "base.py").write_text(BASE)  # back to the first bytes: found again, from the files' own entries
    assert _lint(project) == [[("EXP201", 6)]]
    assert _record_keys(project) == before


def test_a_new_file_is_added_to_the_record(project):
    _lint(project)
    (project / "other.py").write_text(MODEL.replace("Net", "Other"))
    assert _lint(project, ["model.py", "other.py"]) == [[("EXP201", 6)], [("EXP201", 6)]]
    assert len(_record_keys(project)) == 3


def _rewrite_record(root, change):
    (record,) = _records(root)
    stored = json.loads(record.read_text())
    change(stored["value"])
    record.write_text(json.dumps(stored))


def _spoil_entries(value):
    for key in value["structures"]:
        value["structures"][key] = [["not", "a", "structure"]]


def _spoil_base(value):
    # base.py's entry says Base is no module: taken, it would hide model.py's finding
    for key, entry in value["structures"].items():
        if entry[0] is not None and entry[0][0] == "base":
            entry[0][3] = [["Base", [], [], False, []]]


@pytest.mark.parametrize("change", [
    lambda v: v.clear(),  # no "structures"
    lambda v: v.update(structures=[1, 2]),
    lambda v: v["structures"].update({"structure:x": "not wrapped"}),
    _spoil_entries,
])
def test_a_bad_record_is_a_miss(project, change):
    assert _lint(project) == [[("EXP201", 6)]]
    _rewrite_record(project, change)
    assert _lint(project) == [[("EXP201", 6)]]
    assert len(_record_keys(project)) == 2  # written again, whole


def test_the_record_is_trusted_only_under_the_keys_of_the_files_bytes(project):
    # An entry under base.py's key is what the run takes for base.py's bytes (the key names
    # them): this is what makes a stale entry impossible, and what this test shows is used.
    assert _lint(project) == [[("EXP201", 6)]]
    _rewrite_record(project, _spoil_base)
    assert _lint(project) == [[]]
    (project / "base.py").write_text(BASE + "\n")  # new bytes: the spoiled entry is not theirs
    assert _lint(project) == [[("EXP201", 6)]]


def test_without_a_cache_no_record_is_written(project):
    assert [[(d.code, d.line) for d in f] for f in lint_project(["model.py"], settings(), jobs=1)] == [
        [("EXP201", 6)]
    ]
    assert _records(project) == []


def test_a_loader_that_raises_makes_the_entry_a_miss(tmp_path):
    store = Store.open("salt", str(tmp_path / "cache"))
    store.add_kind("k", lambda v: isinstance(v, list), lambda v: [int(x) for x in v])
    store.put("k", "good", ["1", "2"])
    store.put("k", "bad", ["1", "x"])
    store.put("k", "invalid", {"a": 1})
    assert store.get("k", "good") == [1, 2]
    assert store.get("k", "bad") is None
    assert store.get("k", "invalid") is None


def test_an_entry_stored_after_a_remembered_miss_is_found_and_read_back(tmp_path):
    cache = ProjectCache(Store.open("salt", str(tmp_path / "cache")), settings().fingerprint())
    key = "analysis:d1g3st:model:0:facts"
    assert cache.lookup(key) is None and not cache.has(key)  # a miss, remembered
    flows = NO_FLOWS.to_json()
    cache.store_entry(key, [[[6, 9, "EXP201", "message", "warning", 6, 18, "case"]], flows])
    stored = list((tmp_path / "cache").glob("*/analysis/*/*.json"))
    assert len(stored) == 1
    assert cache.has(key)
    rows, summary = cache.lookup(key)
    assert rows == [[6, 9, "EXP201", "message", "warning", 6, 18, "case"]]
    stored[0].unlink()  # not kept in memory as well: read back from the store
    other = ProjectCache(Store.open("salt", str(tmp_path / "cache")), settings().fingerprint())
    other.store_entry(key, [[], flows])
    stored[0].unlink()
    assert other.lookup(key) is None


def test_structure_names_are_shared_between_files():
    from exportlint.analysis.structure import FileStructure

    one = [["m.a", False, [["nn", "torch.nn"]], [["Net", ["torch.nn.Module"], ["forward"], True, []]], [], [], []]]
    first, second = (FileStructure.from_json(json.loads(json.dumps(one))[0]) for _ in range(2))
    assert first == second
    assert first.classes[0].bases[0] is second.classes[0].bases[0]
    assert first.imports[0][1] is second.imports[0][1]
    assert first.classes[0].methods is second.classes[0].methods
    with pytest.raises(TypeError):
        FileStructure.from_json(["m.a", False, [[1, "torch.nn"]], [], [], [], []])
