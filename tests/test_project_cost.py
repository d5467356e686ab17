"""What a project run may skip without changing a finding.

Context files (the project's files that are not linted) are analysed for their flows
only: no rule runs on them and no finding is placed. Their flows must be exactly those
of a whole analysis, and a flows-only result must never stand for a linted file's.
"""

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import settings
from exportlint.analysis.facts import NO_FACTS, ExternalFacts, FlowSummary, same_for
from exportlint.cache import ProjectCache
from exportlint.engine import analyse_text
import exportlint.project_lint as project_lint
from exportlint.project_lint import ProjectRun, lint_project
from exportlint.store import Store

TESTS = Path(__file__).parent
SOURCES = sorted((TESTS / "projects").rglob("*.py")) + sorted((TESTS / "recall").rglob("*.py"))


def _project_facts():
    """Each fixture project's files with the facts the project gives them in its last round."""
    found = []
    for project in sorted(p for p in (TESTS / "projects").iterdir() if p.is_dir()):
        paths = sorted(str(p) for p in project.rglob("*.py"))
        run = ProjectRun(paths, settings(), jobs=1)
        list(run.run())
        index = run._index()
        index.propagate({p: flows for p, (_, flows, _) in run.results.items()})
        found.extend((path, index.facts_for(path)) for path in paths)
    return found


def _handed_on(flows: FlowSummary) -> FlowSummary:
    """What other files get. Which return facts were read may differ: rules ask for kinds too,
    and a flows-only analysis must only list its own reads (a whole analysis, which reads as
    much or more, may stand for it; never the other way round)."""
    return FlowSummary(flows.calls, flows.defaults, flows.returns)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(TESTS)))
def test_flows_only_gives_the_flows_of_a_whole_analysis_and_no_finding(path):
    text = path.read_text()
    whole = analyse_text(text, str(path), settings(), NO_FACTS)
    flows = analyse_text(text, str(path), settings(), NO_FACTS, flows_only=True)
    assert _handed_on(flows.flows) == _handed_on(whole.flows)
    assert set(flows.flows.read_returns) <= set(whole.flows.read_returns)
    assert not [d for d in flows.diagnostics if d.code not in ("EXP000", "EXP001", "EXP002")]


def test_flows_only_with_the_projects_facts_gives_the_same_flows():
    facts = _project_facts()
    assert any(f.roots or f.entries or f.returns for _, f in facts)  # the facts do steer the walk
    walked = 0
    for path, fact in facts:
        text = Path(path).read_text()
        whole = analyse_text(text, path, settings(), fact)
        flows = analyse_text(text, path, settings(), fact, flows_only=True)
        assert _handed_on(flows.flows) == _handed_on(whole.flows), path
        assert flows.diagnostics == [] or whole.diagnostics == []
        walked += bool(whole.flows.calls or whole.flows.returns)
    assert walked >= 3


BLOCK = """\
import torch.nn as nn


class Block(nn.Module):
    def forward(self, x):
        return x
"""

USER = """\
import torch.nn as nn

from block import Block


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()

    def forward(self, x):
        self.last = x
        return self.block(x)
"""


def test_a_context_files_flows_only_entry_never_stands_for_its_findings(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "block.py").write_text(BLOCK)
    (tmp_path / "user.py").write_text(USER)
    monkeypatch.chdir(tmp_path)

    def lint(paths):
        cache = ProjectCache(Store.open("test-salt", str(tmp_path / "cache")), settings().fingerprint())
        return [[(d.code, d.line) for d in found] for found in lint_project(paths, settings(), jobs=1, cache=cache)]

    assert lint(["block.py"]) == [[]]  # user.py (it imports block.py) analysed for its flows
    assert list((tmp_path / "cache").glob("*/analysis/*/*.json"))
    assert lint(["user.py"]) == [[("EXP201", 12)]]
    assert lint(["block.py", "user.py"]) == [[], [("EXP201", 12)]]


MODEL_CALLING_A_HELPER = """\
import torch.nn as nn

from helpers import scale


class Net(nn.Module):
    def forward(self, x):
        return scale(x)
"""

HELPER = """\
def scale(x):
    return x * 2
"""


def _record_analyses(monkeypatch, entry):
    """What each analysis job of the run is given, as ``entry(path, facts, flows_only)``, in order."""
    analysed = []
    job = project_lint.analysis_job

    def recording(item, settings):
        analysed.append(entry(item[0].removeprefix("./"), item[1], item[3]))
        return job(item, settings)

    monkeypatch.setattr(project_lint, "analysis_job", recording)
    return analysed


@pytest.mark.parametrize("rounds", [1, 2])
def test_the_last_round_analyses_no_context_file(tmp_path, monkeypatch, rounds):
    # helpers.py holds no model: it is analysed once model.py's walk roots `scale` in it (round 1).
    # Nothing is propagated after the last round, so there its flows would go unused.
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "model.py").write_text(MODEL_CALLING_A_HELPER)
    (tmp_path / "helpers.py").write_text(HELPER)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(project_lint, "_MAX_ROUNDS", rounds)
    analysed = _record_analyses(monkeypatch, lambda path, facts, flows_only: (path, flows_only))
    assert list(lint_project(["model.py"], settings(), jobs=1)) == [[]]
    # (helpers.py is first walked ahead from `scale`, which model.py imports: for its return kind)
    assert analysed[:2] == [("helpers.py", True), ("model.py", False)]
    assert (("helpers.py", True) in analysed[2:]) == (rounds > 1)


GATE = """\
import torch.nn as nn


def any_set(mask):
    return mask.any().item()


class Gate(nn.Module):
    def forward(self, mask):
        return mask * any_set(mask)
"""

GATED = """\
import torch.nn as nn

from gate import any_set


class Net(nn.Module):
    def forward(self, x, mask):
        if any_set(mask):
            x = x + 1
        return x
"""


def test_a_file_is_analysed_after_the_files_it_imports_from_and_once(tmp_path, monkeypatch):
    # gate.py's own forward traces any_set, which returns a value read from data; net.py, analysed
    # after gate.py, knows that at once (before, both were analysed together, and net.py again
    # once gate.py's return was known)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "gate.py").write_text(GATE)
    (tmp_path / "net.py").write_text(GATED)
    monkeypatch.chdir(tmp_path)
    analysed = _record_analyses(monkeypatch, lambda path, facts, flows_only: path)
    found = list(lint_project(["net.py", "gate.py"], settings(), jobs=1))
    assert [[(d.code, d.line) for d in f] for f in found] == [[("EXP104", 8)], []]
    assert analysed.count("net.py") == 1 and analysed.index("gate.py") < analysed.index("net.py")
    # (gate.py is analysed again: net.py's call roots any_set there, with the kinds it passes)


UTILS = """\
def any_set(mask):
    return mask.any().item()


def unused_by_traced_code(t):
    return t.sum().item()
"""

USING_UTILS = GATED.replace("from gate import any_set", "from utils import any_set, unused_by_traced_code") + (
    "\n\ndef report(x):\n    return unused_by_traced_code(x)\n"
)


def test_a_linted_file_knows_what_a_context_helper_returns_before_it_is_analysed(tmp_path, monkeypatch):
    # utils.py is not linted and holds no model: its functions the linted file imports are walked
    # first (flows only), so model.py is analysed once, already knowing any_set's value comes from data
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "utils.py").write_text(UTILS)
    (tmp_path / "model.py").write_text(USING_UTILS)
    monkeypatch.chdir(tmp_path)
    analysed = _record_analyses(monkeypatch, lambda path, facts, flows_only: (path, facts.roots))
    found = list(lint_project(["model.py"], settings(), jobs=1))
    assert [[(d.code, d.line) for d in f] for f in found] == [[("EXP104", 8)]]
    assert [roots for path, roots in analysed if path == "model.py"] == [()]
    assert analysed[0] == ("utils.py", ("any_set", "unused_by_traced_code"))  # before anything else
    # the real analysis of utils.py follows what traced code calls: any_set alone
    assert ("utils.py", ("any_set",)) in analysed


@pytest.mark.parametrize("rounds", [1, 3])
def test_calls_of_helpers_walked_ahead_are_not_passed_on(tmp_path, monkeypatch, rounds):
    # unused_by_traced_code is walked ahead (model.py imports it) but no traced code calls it:
    # what it passes to sink.py must not root or steer anything there (with one round, nothing
    # would take a wrong root back)
    monkeypatch.setattr(project_lint, "_MAX_ROUNDS", rounds)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "utils.py").write_text(
        UTILS.replace("    return t.sum().item()", "    return pad_to(t, t.sum().item())")
        .replace("def any_set", "from sink import pad_to\n\n\ndef any_set")
    )
    (tmp_path / "sink.py").write_text("def pad_to(x, n):\n    if n > 2:\n        return x\n    return x * 2\n")
    (tmp_path / "model.py").write_text(USING_UTILS)
    found = list(lint_project([str(tmp_path / "model.py"), str(tmp_path / "sink.py")], settings(), jobs=1))
    assert [[(d.code, d.line) for d in f] for f in found] == [[("EXP104", 8)], []]
    calling = "        return x + unused_by_traced_code(x)\n\n\ndef report"
    traced = (tmp_path / "model.py").read_text().replace("        return x\n\n\ndef report", calling)
    if rounds == 1:
        return  # model.py -> utils.py -> sink.py takes two rounds
    (tmp_path / "model.py").write_text(traced)  # now traced code calls it: sink.py's test is on data
    found = list(lint_project([str(tmp_path / "model.py"), str(tmp_path / "sink.py")], settings(), jobs=1))
    assert [(d.code, d.line) for d in found[1]] == [("EXP104", 2)]


def test_a_return_fact_the_analysis_never_read_changes_nothing():
    old = ExternalFacts(returns=(("lib.used", "tensor", ""),))
    read_used = FlowSummary(read_returns=("lib.used",))
    unread_changed = ExternalFacts(returns=(("lib.other", "data", "x at lib.py:3"), ("lib.used", "tensor", "")))
    assert same_for(read_used, old, unread_changed)
    assert not same_for(read_used, old, ExternalFacts(returns=(("lib.used", "data", "x at lib.py:3"),)))
    assert not same_for(read_used, old, ExternalFacts(returns=()))  # known, then unknown
    assert not same_for(read_used, old, ExternalFacts(roots=("helper",), returns=old.returns))  # the rest: whole
    assert not same_for(FlowSummary(read_returns=("lib.other",)), old, unread_changed)
    for field_name, value in (("bases", (("m.C", True),)), ("sites", ()), ("site_models", (("M", ("x",), ()),))):
        if value != getattr(old, field_name):  # every other field is compared, whatever it is
            assert not same_for(read_used, old, replace(old, **{field_name: value})), field_name


def test_facts_changed_by_replace_have_their_own_digest():
    old = ExternalFacts(roots=("f",))
    digest = old.digest()  # memoised in the instance
    assert replace(old, roots=("g",)).digest() != digest
    assert replace(old, roots=("g",)).digest() == ExternalFacts(roots=("g",)).digest()


def test_read_returns_are_the_callees_asked_about(tmp_path):
    text = GATED.replace("x = x + 1", "x = x + unused_elsewhere")
    flows = analyse_text(text, str(tmp_path / "net.py"), settings(), NO_FACTS).flows
    assert flows.read_returns == ("gate.any_set",)


# The walk's answers by node type (issubclass, cached) are isinstance's --------------------
import inspect  # noqa: E402

import libcst as cst  # noqa: E402

from exportlint import traversal  # noqa: E402
from exportlint.analysis import walk as walk_module  # noqa: E402
from exportlint.analysis.imports import dotted_name  # noqa: E402

NODE_TYPES = [c for _, c in inspect.getmembers(cst, inspect.isclass) if issubclass(c, cst.CSTNode)]


class _OddName(cst.Name):  # a subclass LibCST's parser never makes: still a Name
    pass


@pytest.mark.parametrize("node_type", NODE_TYPES + [_OddName], ids=lambda c: c.__name__)
def test_the_role_of_a_node_type_is_what_isinstance_says(node_type):
    role = traversal._role(node_type)
    for flag, classes in traversal._ROLE_CLASSES:
        assert bool(role & flag) == issubclass(node_type, classes), (node_type, classes)
    assert walk_module._is_node(node_type)
    assert not walk_module._is_node(list) and not walk_module._is_node(str)


def test_dotted_names_follow_subclasses_of_name_and_attribute():
    assert dotted_name(cst.parse_expression("a.b.c")) == "a.b.c"
    assert dotted_name(cst.Attribute(_OddName("torch"), cst.Name("cat"))) == "torch.cat"
    assert dotted_name(cst.parse_expression("f().b")) is None


def _reference_walk(root):
    """Every node the walk visits, found with isinstance as before the type caches."""
    order = []

    def visit(node):
        order.append(node)
        for name in walk_module._fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                visit(value)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, cst.CSTNode):
                        visit(item)

    visit(root)
    return order


@pytest.mark.parametrize("path", SOURCES[:40], ids=lambda p: str(p.relative_to(TESTS)))
def test_the_walk_visits_what_isinstance_finds_in_source_order(path):
    module = cst.parse_module(path.read_text())

    class Recorder:
        def __init__(self):
            self.order = []

        def on_visit(self, node):
            self.order.append(node)
            return True

        def on_leave(self, node):
            pass

        def before_loop_body(self, node):
            pass

    recorder = Recorder()
    walk_module.walk(module, recorder)
    assert [id(n) for n in recorder.order] == [id(n) for n in _reference_walk(module)]


def test_the_nesting_scan_is_remembered_by_the_texts_hash(monkeypatch):
    from exportlint import engine

    scanned = []
    real = engine.nesting_problem

    def counting(text):
        scanned.append(text)
        return real(text)

    monkeypatch.setattr(engine, "nesting_problem", counting)
    monkeypatch.setattr(engine, "_NESTING", {})
    deep = "x = " + "(" * 300 + ")" * 300 + "\n"
    flat = "x = 1\n"
    for _ in range(3):
        assert engine._nesting_problem(deep) == real(deep) is not None
        assert engine._nesting_problem(flat) is None
    assert scanned == [deep, flat]
