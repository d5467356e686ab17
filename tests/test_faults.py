"""Issue 16: never a wrong answer from the cache, a signal or a dead worker.

Real processes throughout, each bounded in time: files edited while a run
goes, workers killed, SIGTERM and double SIGINT, hostile and concurrent
caches, a cache folder in a git repository's root, the same depth-limited
file run three ways, and the small exits (closed stdin, broken pipe).
"""

import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import jsonschema
import pytest

from conftest import ROOT, run_cli, settings
from exportlint import engine
from exportlint.cache import ProjectCache
from exportlint.project_lint import lint_project

GOOD = """\
import torch


class Keep(torch.nn.Module):
    def forward(self, x):
        self.last = x
        return x
"""
GOOD_FINDING = (6, 9, "EXP201")
QUIET = GOOD.replace("        self.last = x\n", "")  # no finding
TARGET = ("--target-torch", "2.13", "-q", "--format", "concise")  # one line a finding, no summary on stderr
BOUND = 120  # seconds any one run of this file may take, even on a loaded machine

_SLOW_BLOCK = """
class Block{i}(torch.nn.Module):
    def forward(self, x):
        h = x.shape[0]
        y = x * 2 + x.sum(dim=1, keepdim=True) - x.mean()
        y = y.reshape(h, -1) * h
        return y
"""
# About 5 s of CPU to lint, and no finding (a long report would fill the pipe
# the test does not read): a worker holding it is surely busy when the test strikes.
SLOW = "import torch\n" + "".join(_SLOW_BLOCK.format(i=i) for i in range(8000))


def findings_by_file(stdout: str) -> Dict[str, List[Tuple[int, int, str]]]:
    found: Dict[str, List[Tuple[int, int, str]]] = {}
    for line in stdout.splitlines():
        path, line_no, column, rest = line.split(":", 3)
        found.setdefault(path, []).append((int(line_no), int(column), rest.split()[0]))
    return found


def messages(stdout: str) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}
    for line in stdout.splitlines():
        path, _, _, rest = line.split(":", 3)
        found.setdefault(path, []).append(rest.strip())
    return found


def cli_env(cache: Path) -> Dict[str, str]:
    return dict(os.environ, NO_COLOR="1", EXPORTLINT_CACHE_DIR=str(cache))


def entry_files(cache: Path) -> List[Path]:
    """The stored analyses: one [finding rows, flows] per (settings, file bytes, facts)."""
    return sorted(cache.glob("*/analysis/*/*.json"))


def children_of(pid: int) -> List[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def running(pid: int) -> bool:
    """Alive and not a zombie (a container's pid 1 may never reap orphans)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def busy_workers(parent: subprocess.Popen, count: int, cpu: float = 1.5) -> List[int]:
    """Pids of ``count`` workers of ``parent`` once each has used ``cpu`` s of CPU
    (more than starting takes: each is inside its first file)."""
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        assert parent.poll() is None, parent.communicate()
        workers = children_of(parent.pid)
        if len(workers) >= count and all(cpu_seconds(w) >= cpu for w in workers[:count]):
            return workers
        time.sleep(0.05)
    raise AssertionError("workers never got busy")


def wait_gone(pids: List[int], seconds: float = 10) -> List[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(running(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if running(p)]


@pytest.fixture
def slow_tree(tmp_path):
    """Two slow files first (the two workers' first items), then 38 quick ones."""
    paths = []
    for index in range(2):
        path = tmp_path / f"slow_{index}.py"
        path.write_text(SLOW)
        paths.append(str(path))
    for index in range(38):
        path = tmp_path / f"good_{index:02}.py"
        path.write_text(GOOD)
        paths.append(str(path))
    return tmp_path, paths


def start(paths, cwd, cache, *options, new_session=False) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "exportlint", *TARGET, "-j", "2", "--timeout", "600", *options, *paths],
        cwd=cwd, env=cli_env(cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=new_session,
    )


# 1. Files edited or deleted during a run -----------------------------------------

def test_a_file_edited_between_its_structure_and_its_analysis_is_stored_under_the_bytes_linted(
    tmp_path, monkeypatch
):
    """Deterministic: the edit lands after the structure pass read and hashed the file and
    before the analysis job reads it. The analysis belongs to the bytes it linted only."""
    (tmp_path / "pyproject.toml").write_text("")
    path = tmp_path / "m.py"
    path.write_text(GOOD)
    real_read = engine.read_for_lint

    def edited_first(p, s):
        Path(p).write_text(QUIET)
        return real_read(p, s)

    def lint_once():
        cache = ProjectCache.open(settings(target_torch="2.13"), str(tmp_path / "cache"))
        found = list(lint_project([str(path)], settings(target_torch="2.13"), jobs=1, cache=cache))
        cache.save()
        return [[(d.line, d.column, d.code) for d in f] for f in found]

    monkeypatch.setattr(engine, "read_for_lint", edited_first)
    assert lint_once() == [[]]  # QUIET's findings
    monkeypatch.setattr(engine, "read_for_lint", real_read)
    path.write_text(GOOD)
    assert lint_once() == [[GOOD_FINDING]]  # not QUIET's result under GOOD's digest


def test_edits_and_deletions_during_parallel_runs_never_poison_the_cache(tmp_path):
    rng = random.Random(16)
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    tree.mkdir()
    originals = {}
    for index in range(48):
        text = GOOD.replace("self.last = x", f"self.last_{index} = x") if index % 2 else QUIET + f"# {index}\n"
        originals[tree / f"m{index:02}.py"] = text
        (tree / f"m{index:02}.py").write_text(text)
    variants = [QUIET, GOOD, GOOD.replace("        self.last = x\n", "        y = x\n        self.last = y\n")]
    for _ in range(3):
        run = subprocess.Popen(
            [sys.executable, "-m", "exportlint", *TARGET, "-j", "2", "tree"],
            cwd=tmp_path, env=cli_env(cache), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        while run.poll() is None:
            victim = rng.choice(list(originals))
            if rng.random() < 0.3:
                victim.unlink(missing_ok=True)
            else:
                victim.write_text(rng.choice(variants))
            time.sleep(0.002)
        assert run.wait(BOUND) in (0, 1), run.stderr.read()
        for path, text in originals.items():
            path.write_text(text)
        cached = run_cli(*TARGET, "-j", "2", "tree", cwd=tmp_path, env={"EXPORTLINT_CACHE_DIR": str(cache)})
        fresh = run_cli(*TARGET, "-j", "2", "--no-cache", "tree", cwd=tmp_path)
        assert fresh.returncode == 1 and fresh.stderr == ""
        assert (cached.returncode, cached.stdout) == (fresh.returncode, fresh.stdout)


# 2. The same findings however the file is run -------------------------------------

def _sum_of_sizes(terms: int) -> str:
    total = " + ".join(["x.shape[0]"] * terms)
    return (
        "import torch\n\n\nclass Deep(torch.nn.Module):\n    def forward(self, x):\n"
        f"        y = {total}\n        if y > 2:\n            return x\n        return x\n"
    )


def test_a_file_at_the_depth_limit_gives_the_same_findings_serially_in_workers_and_in_flake8(tmp_path):
    # 334 terms of `x.shape[0] +` are the deepest the nesting limit lets through to the analysis (1,000
    # levels); the range straddles it. pyflakes dies of recursion from 320-332 terms under flake8, so
    # flake8 is asked about the files below that only.
    for terms in range(308, 341, 3):
        (tmp_path / f"deep_{terms}.py").write_text(_sum_of_sizes(terms))
    for index in range(32):  # enough files for worker processes
        (tmp_path / f"good_{index:02}.py").write_text(GOOD)
    runs = {}
    for jobs in ("1", "2"):
        result = run_cli(*TARGET, "--no-cache", "-j", jobs, ".", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        runs[f"-j {jobs}"] = findings_by_file(result.stdout)
    assert runs["-j 1"] == runs["-j 2"]
    deep_codes = {code for path, found in runs["-j 1"].items() if "deep_" in path for (_, _, code) in found}
    assert deep_codes == {"EXP000", "EXP212"}  # the limit falls inside the range: the test can see a shift
    below_pyflakes = sorted(path.name for path in tmp_path.glob("*.py")
                            if path.name.startswith("good_") or int(path.stem[5:]) < 312)
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "EXP", "--exportlint-target-torch", "2.13", "--jobs", "2",
         *below_pyflakes], cwd=tmp_path, capture_output=True, text=True, timeout=BOUND * 3,
    )
    assert flake8.returncode == 1, flake8.stderr
    cli_below = {Path(path).name: found for path, found in runs["-j 1"].items() if Path(path).name in below_pyflakes}
    assert {Path(path).name: found for path, found in findings_by_file(flake8.stdout).items()} == cli_below
    assert len(cli_below) == 34  # 32 good files, deep_308 and deep_311


# 3. The cache folder -----------------------------------------------------------

def test_a_cache_in_a_repository_root_leaves_git_status_clean(tmp_path):
    def git(*args):
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path,
                              capture_output=True, text=True, check=True).stdout

    git("init", "-q")
    (tmp_path / "m.py").write_text(GOOD)
    git("add", "m.py")
    git("commit", "-qm", "model")
    for _ in ("cold", "warm"):
        result = run_cli(*TARGET, "m.py", cwd=tmp_path, env={"EXPORTLINT_CACHE_DIR": "."})
        assert findings_by_file(result.stdout) == {"m.py": [GOOD_FINDING]}, result.stderr
    assert not (tmp_path / ".gitignore").exists()
    assert len(entry_files(tmp_path / ".exportlint_cache")) == 1  # a folder of its own, inside
    (tmp_path / "new.py").write_text("x = 1\n")
    assert git("status", "--porcelain") == "?? new.py\n"  # the user's files still show


def test_an_existing_folder_is_used_but_never_marked(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep")
    (tmp_path / "m.py").write_text(GOOD)
    run_cli(*TARGET, "m.py", cwd=tmp_path, env={"EXPORTLINT_CACHE_DIR": str(folder)})
    assert sorted(p.name for p in folder.iterdir()) == [".exportlint_cache", "notes.txt"]
    assert (folder / ".exportlint_cache" / ".gitignore").read_text() == "*\n"


# 4 and 5. Dead workers and signals ----------------------------------------------

def test_a_killed_worker_costs_only_the_file_it_held(slow_tree):
    root, paths = slow_tree
    run = start(paths, root, root / "cache")
    victim = busy_workers(run, 2)[0]
    os.kill(victim, signal.SIGKILL)
    out, err = run.communicate(timeout=BOUND * 3)
    assert run.returncode == 1 and err == ""
    said = messages(out)
    died = [p for p, texts in said.items() if any("worker died (SIGKILL) while linting this file" in t for t in texts)]
    assert len(died) == 1 and os.path.basename(died[0]).startswith("slow_")
    assert all(findings_by_file(out).get(p) == [GOOD_FINDING] for p in paths if "good_" in p)
    warm = run_cli(*TARGET, "-j", "2", *paths, cwd=root, env={"EXPORTLINT_CACHE_DIR": str(root / "cache")})
    assert not any("worker died" in t for texts in messages(warm.stdout).values() for t in texts)


def _dies_on_some_items(item, settings):
    if item % 3 == 1 and item % 2:
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer does
    if item % 3 == 1:
        os._exit(3)  # as an abort in native code that exits does
    if item == 5:
        raise ValueError("job bug")
    return item * settings


def test_the_pool_reports_each_dead_worker_for_its_own_item_and_keeps_the_order():
    from exportlint.pool import SupervisedPool

    pool = SupervisedPool(_dies_on_some_items, 10, 2, on_death=lambda item, why: (item, why),
                          on_error=lambda item, why: (item, why))
    results = list(pool.map(list(range(12))))
    expected = []
    for item in range(12):
        if item % 3 == 1:
            expected.append((item, "worker died (SIGKILL)" if item % 2 else "worker exited with status 3"))
        elif item == 5:
            expected.append((item, "ValueError: job bug"))
        else:
            expected.append(item * 10)
    assert results == expected


def test_sigterm_ends_the_run_and_every_worker(slow_tree):
    root, paths = slow_tree
    run = start(paths, root, root / "cache")
    workers = busy_workers(run, 2)
    os.kill(run.pid, signal.SIGTERM)
    out, err = run.communicate(timeout=15)
    assert (run.returncode, err) == (143, "exportlint: terminated\n")
    assert wait_gone(workers) == []


def test_two_ctrl_c_end_the_run_promptly_with_130(slow_tree):
    root, paths = slow_tree
    run = start(paths, root, root / "cache", new_session=True)
    workers = busy_workers(run, 2)
    began = time.monotonic()
    os.killpg(run.pid, signal.SIGINT)  # what the terminal does: the whole foreground group
    time.sleep(0.05)
    os.killpg(run.pid, signal.SIGINT)
    out, err = run.communicate(timeout=15)
    assert time.monotonic() - began < 10
    assert (run.returncode, err) == (130, "exportlint: interrupted\n")
    assert wait_gone(workers) == []
    assert list((root / "cache").glob("tmp/*")) == []


def test_no_worker_outlives_a_parent_killed_outright(slow_tree):
    root, paths = slow_tree
    run = start(paths, root, root / "cache")
    workers = busy_workers(run, 2)
    run.kill()
    run.communicate(timeout=15)
    assert wait_gone(workers) == []


# 6. Hostile and concurrent caches -------------------------------------------------

def _warm_cache(tmp_path) -> Path:
    (tmp_path / "m.py").write_text(GOOD)
    first = run_cli(*TARGET, "m.py", cwd=tmp_path)
    assert findings_by_file(first.stdout) == {"m.py": [GOOD_FINDING]}
    (entry,) = entry_files(tmp_path / ".cache-test")
    return entry


def _with_value(entry: Path, rows) -> bytes:
    """The entry with its finding rows replaced (a dict: the whole value replaced)."""
    stored = json.loads(entry.read_text())
    stored["value"] = rows if isinstance(rows, dict) else [[rows, stored["value"][0][1]]]
    return json.dumps(stored).encode()


WRONG_SHAPES = {
    "not json": lambda e: b"{\"kind\": \"results\", \"val",
    "binary": lambda e: bytes(range(256)),
    "a list": lambda e: b"[1, 2, 3]",
    "deeply nested": lambda e: b"[" * 100_000 + b"]" * 100_000,
    "value a dict": lambda e: _with_value(e, {"line": 6}),
    "row too short": lambda e: _with_value(e, [[6, 9, "EXP201", "m", "warning", 0, 0]]),
    "line a string": lambda e: _with_value(e, [["6", 9, "EXP201", "m", "warning", 0, 0, ""]]),
    "unknown severity": lambda e: _with_value(e, [[6, 9, "EXP201", "m", "fatal", 0, 0, ""]]),
    "bad code": lambda e: _with_value(e, [[6, 9, "E1", "m", "warning", 0, 0, ""]]),
    "another key": lambda e: json.dumps({"kind": "results", "key": "x", "value": []}).encode(),
}


@pytest.mark.parametrize("shape", sorted(WRONG_SHAPES))
def test_a_bad_cache_entry_is_a_miss_and_is_replaced(tmp_path, shape):
    entry = _warm_cache(tmp_path)
    entry.write_bytes(WRONG_SHAPES[shape](entry))
    result = run_cli(*TARGET, "m.py", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert findings_by_file(result.stdout) == {"m.py": [GOOD_FINDING]}
    assert json.loads(entry.read_text())["value"][0][0][0][:3] == list(GOOD_FINDING)


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "directory"])
def test_a_cache_entry_that_is_not_a_file_neither_hangs_nor_eats_memory(tmp_path, kind):
    entry = _warm_cache(tmp_path)
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "dev_zero":
        entry.symlink_to("/dev/zero")
    else:
        entry.mkdir()
    memory = 512 * 1024 * 1024

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    result = subprocess.run(
        [sys.executable, "-m", "exportlint", *TARGET, "m.py"], cwd=tmp_path, env=cli_env(tmp_path / ".cache-test"),
        capture_output=True, text=True, timeout=60, preexec_fn=limit_memory,
    )
    assert (result.returncode, result.stderr) == (1, "")
    assert findings_by_file(result.stdout) == {"m.py": [GOOD_FINDING]}


def test_temporary_files_never_outlive_a_run(tmp_path):
    entry = _warm_cache(tmp_path)
    temporaries = tmp_path / ".cache-test" / "tmp"
    (temporaries / "999999999-left-by-a-killed-run.tmp").write_bytes(b"x" * 1000)
    entry.unlink()
    full = 64  # bytes: every entry write fails as on a full disk (EFBIG)

    def disk_nearly_full():
        resource.setrlimit(resource.RLIMIT_FSIZE, (full, full))

    result = subprocess.run(
        [sys.executable, "-m", "exportlint", *TARGET, "m.py"], cwd=tmp_path, env=cli_env(tmp_path / ".cache-test"),
        capture_output=True, text=True, timeout=60, preexec_fn=disk_nearly_full,
    )
    assert (result.returncode, result.stderr) == (1, "")
    assert findings_by_file(result.stdout) == {"m.py": [GOOD_FINDING]}
    assert list(temporaries.iterdir()) == []
    assert entry_files(tmp_path / ".cache-test") == []


def test_concurrent_runs_keep_each_others_entries(tmp_path):
    """As pre-commit runs hooks: several processes at once, each on its share."""
    paths = []
    for index in range(80):
        (tmp_path / f"m{index:02}.py").write_text(GOOD + f"# {index}\n")
        paths.append(f"m{index:02}.py")
    cache = tmp_path / "cache"
    runs = [
        subprocess.Popen([sys.executable, "-m", "exportlint", *TARGET, "-j", "1", *paths[share::4]], cwd=tmp_path,
                         env=cli_env(cache), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for share in range(4)
    ]
    for run in runs:
        assert run.wait(BOUND) == 1, run.stderr.read()
    assert len(entry_files(cache)) == 80
    profile = {"EXPORTLINT_CACHE_DIR": str(cache), "PYTHONPROFILEIMPORTTIME": "1"}
    warm = run_cli(*TARGET, *paths, cwd=tmp_path, env=profile)
    assert "libcst" not in warm.stderr  # every file was a hit
    assert all(findings_by_file(warm.stdout)[p] == [GOOD_FINDING] for p in paths)


# 7. The small exits, SARIF uris, notebooks ----------------------------------------

def test_closed_stdin_is_a_usage_error(tmp_path):
    result = subprocess.run(
        ["sh", "-c", f'exec "{sys.executable}" -m exportlint - <&-'], cwd=tmp_path, capture_output=True, text=True,
        timeout=BOUND,
    )
    assert result.returncode == 2
    assert result.stderr == "exportlint: error: '-' reads source from stdin, but stdin is closed\n"


def test_a_single_ctrl_c_is_130_and_one_line(slow_tree):
    root, paths = slow_tree
    run = start(paths, root, root / "cache", "-j", "1")  # the last -j wins: serial, the parent is busy
    deadline = time.monotonic() + BOUND
    while cpu_seconds(run.pid) < 1.5 and time.monotonic() < deadline:
        time.sleep(0.05)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=15)
    assert (run.returncode, err) == (130, "exportlint: interrupted\n")


def test_a_broken_pipe_exits_141_quietly(tmp_path):
    for index in range(40):
        (tmp_path / f"m{index:02}.py").write_text(GOOD)
    run = subprocess.Popen([sys.executable, "-m", "exportlint", *TARGET, "--no-cache", "."], cwd=tmp_path,
                           env=cli_env(tmp_path / "cache"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run.stdout.close()  # the reader is gone before the first line
    err = run.stderr.read()
    assert (run.wait(BOUND), err) == (141, b"")


NAMES = ["a:b.py", "x#1.py", "q?.py", "100%.py", "sp ace.py", "é.py", "sub dir/m[1].py"]
_PCHAR = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=@/%")


def test_sarif_uris_are_percent_encoded_relative_references(tmp_path):
    from urllib.parse import unquote

    for name in NAMES:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(GOOD)
    result = run_cli(*TARGET, "--format", "sarif", *NAMES, cwd=tmp_path)
    log = json.loads(result.stdout)
    schema = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0.schema.json").read_text())
    jsonschema.validate(log, schema, format_checker=jsonschema.FormatChecker())
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert sorted(unquote(u) for u in uris) == sorted(NAMES)
    for uri in uris:  # RFC 3986 relative-path reference: pchar and '/', no ':' before the first '/'
        assert set(uri) <= _PCHAR and ":" not in uri.split("/")[0], uri


def test_a_notebook_named_on_the_command_line_is_refused_clearly(tmp_path):
    cell = {"cell_type": "code", "metadata": {}, "source": GOOD.splitlines(True), "outputs": [], "execution_count": 1}
    (tmp_path / "model.ipynb").write_text(json.dumps({"cells": [cell], "nbformat": 4, "nbformat_minor": 5,
                                                      "metadata": {}}, indent=1))
    result = run_cli(*TARGET, "model.ipynb", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == ""
    (line,) = result.stdout.splitlines()
    assert line.startswith("model.ipynb:1:1: EXP000 not linted: a Jupyter notebook")
    flake8 = subprocess.run([sys.executable, "-m", "flake8", "--select", "EXP", "model.ipynb"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=BOUND)
    assert "EXP000 not linted: a Jupyter notebook" in flake8.stdout
