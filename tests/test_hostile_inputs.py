"""Issue 7: exportlint never breaks on bad input, and never runs the code it lints.

Every hostile file is generated here, into tmp_path, and linted in the same run
as GOOD, a real model with a known finding: whatever the hostile files do, that
finding must still come out. Files that cannot be read, decoded or parsed get
exactly one EXP000 each; files that are merely unusual (BOM, CRLF, CR, tabs,
empty) get their real findings, at the right line and column.
"""

import codecs
import os
import re
import stat
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from conftest import run_cli, settings
from exportlint import cli, engine, reading
from exportlint.rules.module_attribute_mutation import ModuleAttributeMutation
from exportlint.source import MIN_SIZE_LIMIT

GOOD = textwrap.dedent(
    """\
    import torch


    class Keep(torch.nn.Module):
        def forward(self, x):
            self.last = x
            return x
    """
)
GOOD_FINDING = (6, 9, "EXP201")
TARGET = ("--target-torch", "2.13")
DEPTH = 5000

FINDING_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>EXP\d{3}) (?P<message>.*)$")


def model(forward_line: str = "        self.last = x\n") -> str:
    """GOOD with another line where `self.last = x` is (line 6)."""
    return GOOD.replace("        self.last = x\n", forward_line)


def deep_model(expression: str) -> str:
    return model(f"        self.last = x\n        return {expression}\n")


@dataclass
class Expect:
    """What one corpus file must give: exactly these (line, col, code), or one
    file-level finding whose message contains ``says``."""

    findings: List[Tuple[int, int, str]] = field(default_factory=list)
    code: Optional[str] = None  # EXP000 or EXP002: exactly one finding with this code
    says: str = ""
    line: Optional[int] = None  # where the file-level finding must be, when it matters


def unreadable(says: str, line: Optional[int] = None) -> Expect:
    return Expect(code="EXP000", says=says, line=line)


def column_of(text: str, line: int, needle: str = "self.last") -> int:
    return re.split(r"\r\n|\r|\n", text)[line - 1].index(needle) + 1


def build_corpus(root: Path) -> Tuple[List[str], Dict[str, Expect]]:
    """Write the hostile corpus under root; return (paths to pass, expectations by path)."""
    expect: Dict[str, Expect] = {}
    explicit: List[str] = []

    def put(name: str, data, expectation: Expect, pass_it: bool = True) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        expect[str(path)] = expectation
        if pass_it:
            explicit.append(str(path))
        return path

    # Cannot be parsed --------------------------------------------------------
    put("syntax_error.py", GOOD.replace("def forward(self, x):", "def forward(self, x)"), unreadable("expected ':'", 5))
    put("python2.py", GOOD + 'print "x"\n', unreadable("print", 8))
    # No model code at all: still reported (on Python >= 3.11, where CPython's
    # parser checks such files cheaply without risking its C stack).
    if sys.version_info >= (3, 11):
        put("python2_script.py", 'import os\nprint "no model here"\n', unreadable("print", 2))
        put("broken_helper.py", "def helper(x:\n    return x\n", unreadable("could not parse", 1))
    put("truncated.py", GOOD + 'DOC = """never closed\n', unreadable("could not parse", 8))
    put("inconsistent_tabs.py", GOOD.replace("        return x", "\treturn x"), unreadable("tabs", 7))
    put("unclosed_then_long.py", GOOD + "x = (\n" + "y = a + b\n" * 600, unreadable("never closed", 8))
    put("nul_byte.py", GOOD + "x = 1\x00\n", unreadable("NUL", 8))
    # Nested 5,000 deep: past LibCST's C stack (a segfault) and Python's recursion limit.
    shapes = {
        "parens": "(" * DEPTH + "x" + ")" * DEPTH,
        "brackets": "[" * DEPTH + "x" + "]" * DEPTH,
        "calls": "f(" * DEPTH + "x" + ")" * DEPTH,
        "unary": "-" * DEPTH + "x",
        "not": "not " * DEPTH + "x",
        "binary": "x" + " + x" * DEPTH,
        "power": "x" + " ** x" * DEPTH,
        "subscripts": "x" + "[0]" * DEPTH,
        "attributes": "x" + ".a" * DEPTH,
        "call_chain": "x" + "()" * DEPTH,
        "lambdas": "lambda: " * DEPTH + "x",
        "conditionals": "x if x else " * DEPTH + "x",
        "fstring": 'f"{' + "(" * DEPTH + "x" + ")" * DEPTH + '}"',
    }
    for shape, expression in shapes.items():
        put(f"deep_{shape}.py", deep_model(expression), unreadable("nested", 7))
    put("deep_module_level.py", GOOD + "TABLE = " + "[" * DEPTH + "]" * DEPTH + "\n", unreadable("nested", 8))
    blocks = "".join(" " * i + "if x:\n" for i in range(DEPTH // 10)) + " " * (DEPTH // 10) + "pass\n"
    put("deep_blocks.py", GOOD + blocks, unreadable("indentation"))

    # Cannot be decoded -------------------------------------------------------
    put("invalid_utf8.py", GOOD.encode() + b"# caf\xe9 \xff\n", unreadable("not valid utf-8 at line 8", 8))
    put("invalid_utf8_first_line.py", b"# \xff\n" + GOOD.encode(), unreadable("not valid utf-8 at line 1", 1))
    latin1_bytes = model('        s = "caf\xe9"; self.last = x\n').encode("latin-1")
    put("cookie_utf8_latin1_bytes.py", b"# -*- coding: utf-8 -*-\n" + latin1_bytes, unreadable("not valid utf-8", 7))
    utf8_bytes = model('        s = "café"\n').encode("utf-8")
    put("cookie_ascii.py", b"# coding: ascii\n" + utf8_bytes, unreadable("ascii", 7))
    put("unknown_codec.py", b"# -*- coding: klingon -*-\n" + GOOD.encode(), unreadable("unknown encoding: klingon"))
    put("bom_and_latin1_cookie.py", codecs.BOM_UTF8 + b"# coding: latin-1\n" + GOOD.encode(), unreadable("BOM"))
    put("binary.bin", bytes(range(256)) * 64, unreadable("could not decode"))

    # Unusual but fine: the real findings, at the right place -------------------
    non_ascii = model("        été = 1; self.last = x\n")
    put("bom.py", codecs.BOM_UTF8 + non_ascii.encode(), Expect([(6, column_of(non_ascii, 6), "EXP201")]))
    for name, newline in (("crlf.py", "\r\n"), ("cr.py", "\r")):
        text = non_ascii.replace("\n", newline)
        put(name, text.encode(), Expect([(6, column_of(text, 6), "EXP201")]))
    mixed = "import torch\r\n\r\rclass Keep(torch.nn.Module):\n    def forward(self, x):\r" \
        "        y = 1; self.last = x\r\n"
    put("mixed_newlines.py", mixed, Expect([(6, column_of(mixed, 6), "EXP201")]))
    tabs = GOOD.replace("        ", "\t\t").replace("    ", "\t")
    put("tabs.py", tabs, Expect([(6, 3, "EXP201")]))
    latin1 = "# -*- coding: latin-1 -*-\n" + model('        s = "caf\xe9"; self.last = x\n')
    put("latin1.py", latin1.encode("latin-1"), Expect([(7, column_of(latin1, 7), "EXP201")]))
    # The cookie wins over what the bytes look like: é in UTF-8 is two latin-1 characters.
    as_utf8 = "# -*- coding: latin-1 -*-\n" + model('        s = "café"; self.last = x\n')
    as_python_reads_it = as_utf8.encode("utf-8").decode("latin-1")
    put("latin1_cookie_utf8_bytes.py", as_utf8.encode("utf-8"),
        Expect([(7, column_of(as_python_reads_it, 7), "EXP201")]))
    form_feed = "import torch\n\x0c\nclass Keep(torch.nn.Module):\n    def forward(self, x):\n" \
        "        self.quiet = x  # noqa: EXP201\n        s = '\u2028\x85\x0b'\n        self.last = x\n"
    put("form_feed_noqa.py", form_feed, Expect([(7, 9, "EXP201")]))
    long_string = model('        s = "' + "a" * 1_000_000 + '"; self.last = x\n')
    put("long_line_string.py", long_string, Expect([(6, 1_000_000 + 17, "EXP201")]))
    long_list = model("        y = [" + "0, " * 2000 + "]; self.last = x\n")
    put("long_line_list.py", long_list, Expect([(6, column_of(long_list, 6), "EXP201")]))
    for name, data in {
        "empty.py": b"",
        "bom_only.py": codecs.BOM_UTF8,
        "blank.py": b"\n\r\n\r   \t\n\x0c\n",
        "comments_only.py": b"# torch\n# class Module:\n",
    }.items():
        put(name, data, Expect())
    put("not_python.txt", GOOD, Expect([GOOD_FINDING]))  # explicit: linted whatever its name
    filler = "".join(f"v{i} = {i}\n" for i in range(20 * 1024 * 1024 // 14))
    put("huge_20mb.py", GOOD + filler, Expect(code="EXP002", says="file not linted"))
    put("huge_20mb_data.py", "DATA = [\n" + "    1,\n" * (20 * 1024 * 1024 // 7) + "]\n", Expect())

    # Not regular files, and paths that lead nowhere -----------------------------
    fifo = root / "fifo.py"
    os.mkfifo(fifo)
    expect[str(fifo)] = unreadable("not a regular file (a FIFO)")
    explicit.append(str(fifo))
    links = (
        ("broken_link.py", "no/such/file.py", "broken symbolic link"),
        ("loop_a.py", "loop_b.py", "symbolic links"),
    )
    for name, target, says in links:
        (root / name).symlink_to(target)
        expect[str(root / name)] = unreadable(says)
        explicit.append(str(root / name))
    (root / "loop_b.py").symlink_to("loop_a.py")
    if Path("/proc/self/mem").exists():  # a regular file whose read raises, even for root
        (root / "read_raises.py").symlink_to("/proc/self/mem")
        expect[str(root / "read_raises.py")] = unreadable("Input/output error")
        explicit.append(str(root / "read_raises.py"))

    # A tree, walked: a directory named x.py, a FIFO, loops; only *.py files ---
    tree = root / "tree"
    put("tree/x.py/inner.py", GOOD, Expect([GOOD_FINDING]), pass_it=False)
    put("tree/notes.txt", GOOD, Expect(), pass_it=False)  # not .py: not linted when walked
    del expect[str(tree / "notes.txt")]
    os.mkfifo(tree / "pipe.py")
    expect[str(tree / "pipe.py")] = unreadable("not a regular file")
    (tree / "dangling.py").symlink_to("gone.py")
    expect[str(tree / "dangling.py")] = unreadable("broken symbolic link")
    (tree / "x.py" / "up").symlink_to("..")  # a directory loop: not followed
    (tree / "link_to_inner.py").symlink_to("x.py/inner.py")
    expect[str(tree / "link_to_inner.py")] = Expect([GOOD_FINDING])
    explicit.append(str(tree))
    return explicit, expect


def parse_output(stdout: str) -> Dict[str, List[Tuple[int, int, str, str]]]:
    found: Dict[str, List[Tuple[int, int, str, str]]] = {}
    for line in stdout.splitlines():
        match = FINDING_LINE.match(line)
        assert match, f"not a finding line: {line[:200]!r}"
        finding = (int(match["line"]), int(match["col"]), match["code"], match["message"])
        found.setdefault(match["path"], []).append(finding)
    return found


def problems_with(found: Dict[str, List[Tuple[int, int, str, str]]], expect: Dict[str, Expect]) -> List[str]:
    problems = []
    for path, wanted in expect.items():
        got = found.get(path, [])
        shown = [g[:3] + (g[3][:100],) for g in got]
        if wanted.code is not None:
            if len(got) != 1 or got[0][2] != wanted.code or wanted.says not in got[0][3]:
                problems.append(f"{path}: want one {wanted.code} saying {wanted.says!r}, got {shown}")
            elif wanted.line is not None and got[0][0] != wanted.line:
                problems.append(f"{path}: {wanted.code} at line {got[0][0]}, want line {wanted.line}")
        elif sorted(g[:3] for g in got) != sorted(wanted.findings):
            problems.append(f"{path}: want {wanted.findings}, got {shown}")
    for path in set(found) - set(expect):
        problems.append(f"{path}: unexpected findings {[g[:3] for g in found[path]]}")
    return problems


def snapshot(root: Path) -> Dict[str, object]:
    """Every entry under root: bytes of regular files, targets of links, kinds of the rest."""
    entries: Dict[str, object] = {}
    for directory, subdirs, files in os.walk(root):
        for name in subdirs + files:
            path = os.path.join(directory, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                entries[path] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                entries[path] = Path(path).read_bytes()
            else:
                entries[path] = stat.S_IFMT(info.st_mode)
    return entries


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    good = root / "corpus" / "good.py"
    good.parent.mkdir()
    good.write_text(GOOD)
    explicit, expect = build_corpus(root / "corpus")
    expect[str(good)] = Expect([GOOD_FINDING])
    return root, [str(good)] + explicit, expect


def assert_findings_as_expected(result, expect) -> None:
    """Exit 1, nothing on stderr but the summary line, and each file's findings as ``expect`` says."""
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr.startswith("exportlint: checked ") and result.stderr.count("\n") == 1, result.stderr
    problems = problems_with(parse_output(result.stdout), expect)
    assert not problems, "\n".join(problems)


def test_hostile_corpus_gives_one_clear_finding_per_bad_file_and_keeps_the_good_ones(corpus):
    root, paths, expect = corpus
    before = snapshot(root / "corpus")
    assert_findings_as_expected(run_cli(*paths, *TARGET, "--no-cache", cwd=root), expect)
    # Nothing is ever written to, or next to, the linted files.
    assert snapshot(root / "corpus") == before


def test_hostile_corpus_through_the_cache_and_worker_processes(corpus):
    """Same findings with the result cache on, cold then warm, and with the files
    spread over worker processes (more files than the serial threshold)."""
    root, paths, expect = corpus
    # FIFOs left out: the cache hangs on them (test_the_cache_does_not_hang_on_a_fifo).
    paths = [p for p in paths if not stat.S_ISFIFO(os.lstat(p).st_mode) and not p.endswith("tree")]
    expect = {p: e for p, e in expect.items() if p in paths}
    copies = root / "copies"
    copies.mkdir(exist_ok=True)
    for index in range(40):
        copy = copies / f"good_{index}.py"
        copy.write_text(GOOD)
        paths.append(str(copy))
        expect[str(copy)] = Expect([GOOD_FINDING])
    before = snapshot(root / "corpus")
    for _ in ("cold", "warm"):
        result = run_cli(*paths, *TARGET, "-j", "2", cwd=root, env={"EXPORTLINT_CACHE_DIR": str(root / "cache")})
        assert_findings_as_expected(result, expect)
    assert snapshot(root / "corpus") == before


def test_the_cache_does_not_hang_on_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "good.py").write_text(GOOD)
    env = dict(os.environ, EXPORTLINT_CACHE_DIR=str(tmp_path / "cache"), NO_COLOR="1")
    try:
        result = subprocess.run([sys.executable, "-m", "exportlint", "pipe.py", "good.py", *TARGET],
                                cwd=tmp_path, env=env, capture_output=True, text=True, timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("hung on the FIFO")
    # the default format reads the source for its snippet: that must not hang on the FIFO either
    expected = "pipe.py:1:1: EXP000 [could-not-parse] could not read: not a regular file (a FIFO)"
    assert result.stdout.splitlines()[0] == expected


def test_nested_5000_deep_alone_with_the_good_file(tmp_path):
    """The crash case on its own: before the nesting guard, LibCST segfaulted
    here and the good file's finding was never printed."""
    (tmp_path / "deep.py").write_text(deep_model("(" * DEPTH + "x" + ")" * DEPTH))
    (tmp_path / "good.py").write_text(GOOD)
    result = run_cli("deep.py", "good.py", *TARGET, "--no-cache", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [line.split(" ", 1)[0] for line in result.stdout.splitlines()] == ["deep.py:7:216:", "good.py:6:9:"]
    assert "EXP000 could not parse: more than 200 nested brackets" in result.stdout


def test_a_directory_named_like_a_file_is_walked(tmp_path):
    (tmp_path / "x.py").mkdir()
    (tmp_path / "x.py" / "inner.py").write_text(GOOD)
    (tmp_path / "good.py").write_text(GOOD)
    result = run_cli("x.py", "good.py", *TARGET, "--no-cache", cwd=tmp_path)
    assert result.returncode == 1
    assert sorted(line.split(" ", 1)[0] for line in result.stdout.splitlines()) == [
        "good.py:6:9:", f"x.py{os.sep}inner.py:6:9:",
    ]


def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.py"
    path.write_text(GOOD)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("permissions do not stop this user from reading (root): the FIFO and "
                        "/proc/self/mem cases of the corpus cover unreadable files instead")
        (tmp_path / "good.py").write_text(GOOD)
        result = run_cli("secret.py", "good.py", *TARGET, "--no-cache", cwd=tmp_path)
        assert result.returncode == 1
        assert result.stdout.splitlines()[0].startswith("secret.py:1:1: EXP000 could not read: Permission denied")
        assert result.stdout.splitlines()[1].startswith("good.py:6:9: EXP201")
    finally:
        path.chmod(0o644)


def test_read_error_while_reading_is_exp000(tmp_path, monkeypatch):
    """Any OSError from the read itself (EIO on a failing disk, ...) is EXP000."""
    path = tmp_path / "flaky.py"
    path.write_text(GOOD)
    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def fileno(self):
            return self.handle.fileno()

        def read(self):
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(reading.os, "fdopen", lambda fd, mode: Failing(real_fdopen(fd, mode)))
    [found] = engine.lint_path(str(path), settings(target_torch="2.13"))
    assert (found.line, found.column, found.code) == (1, 1, "EXP000")
    assert found.message == "could not read: Input/output error"


def test_file_names_that_are_not_utf8(tmp_path):
    try:
        (tmp_path / os.fsdecode(b"caf\xff.py")).write_text(GOOD)
    except (OSError, UnicodeError):
        pytest.skip("this file system only takes UTF-8 names")
    (tmp_path / "good.py").write_text(GOOD)
    for encoding in ("utf-8", "ascii"):
        result = run_cli(".", *TARGET, "--no-cache", cwd=tmp_path, env={"PYTHONIOENCODING": encoding})
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith("exportlint: checked ") and result.stderr.count("\n") == 1, result.stderr
        assert sorted(line.split(" ", 1)[0] for line in result.stdout.splitlines()) == [
            "./caf\\udcff.py:6:9:", "./good.py:6:9:",
        ]


def test_hostile_bytes_on_stdin(tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    env = dict(os.environ, NO_COLOR="1")
    cases = ((GOOD.encode() + b"\xff\n", "could not decode"), (deep_model("-" * DEPTH + "x").encode(), "nested"))
    for data, says in cases:
        result = subprocess.run(
            [sys.executable, "-m", "exportlint", "-", "good.py", *TARGET, "--no-cache", "--stdin-filename", "in.py",
             "--format", "concise"],
            cwd=tmp_path, input=data, capture_output=True, env=env, timeout=300,
        )
        assert result.returncode == 1, result.stderr
        lines = result.stdout.decode().splitlines()
        assert len(lines) == 2 and lines[1].startswith("good.py:6:9: EXP201"), lines
        assert lines[0].startswith("in.py:") and " EXP000 " in lines[0] and says in lines[0], lines


# Usage errors: exit 2, one line, no traceback ---------------------------------

def test_a_path_that_does_not_exist(tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    result = run_cli("good.py", "no/such/file.py", *TARGET, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "exportlint: error: no such file or directory: no/such/file.py\n"


@pytest.mark.parametrize(
    "argv,config,says",
    [
        (["--no-such-option"], None, "unrecognized arguments: --no-such-option"),
        (["--timeout", "soon"], None, "argument --timeout: invalid float value: 'soon'"),
        (["--timeout", "-1"], None, "timeout must be a positive number"),
        (["--timeout", "0"], None, "timeout must be a positive number"),
        (["--format", "xml"], None, "argument --format: invalid choice: 'xml'"),
        (["--jobs", "0"], None, "--jobs must be at least 1"),
        (["--target-torch", "banana"], None, "not a torch version: 'banana'"),
        (["--config", "missing.toml"], None, "config file not found: missing.toml"),
        ([], "[tool.exportlint]\ntimeout = 'soon'\n", "timeout must be a number of seconds"),
        ([], "[tool.exportlint]\nno_such_key = 1\n", "unknown [tool.exportlint] key(s): no_such_key"),
        ([], "[tool.exportlint\n", "cannot read config"),
        ([], b"[tool.exportlint]\nselect = ['\xff']\n", "cannot read config"),
    ],
)
def test_bad_options_and_config_are_usage_errors(tmp_path, monkeypatch, capsys, argv, config, says):
    (tmp_path / "good.py").write_text(GOOD)
    if config is not None:
        (tmp_path / "pyproject.toml").write_bytes(config if isinstance(config, bytes) else config.encode())
    monkeypatch.chdir(tmp_path)
    try:
        code = cli.main(["good.py", "--no-cache", *argv])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("exportlint: error: ") and says in err, err


def test_bad_option_in_a_real_process_has_no_traceback(tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    result = run_cli("good.py", "--timeout", "-5", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", "exportlint: error: timeout must be a positive number of seconds\n"
    )


@pytest.mark.parametrize("timeout", ["inf", "1e300"])
def test_a_timeout_too_large_for_the_timer_means_no_limit(tmp_path, monkeypatch, capsys, timeout):
    (tmp_path / "good.py").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["good.py", "--no-cache", "--timeout", timeout, *TARGET]) == 1
    assert capsys.readouterr().out.startswith("good.py:6:9: EXP201 ")


# Internal errors: EXP001 for the file, the run goes on ------------------------

TENSOR_DEFAULT = textwrap.dedent(
    """\
    import torch


    class Bias(torch.nn.Module):
        def forward(self, x, b=torch.ones(3)):
            return x + b
    """
)


def test_a_rule_that_raises_is_exp001_for_that_file_only(tmp_path, monkeypatch, capsys):
    def broken(self, node, ctx, behaviour):
        raise ZeroDivisionError("simulated rule bug")

    monkeypatch.setattr(ModuleAttributeMutation, "visit_Assign", broken)
    (tmp_path / "crashes.py").write_text(GOOD)
    (tmp_path / "other.py").write_text(TENSOR_DEFAULT)
    (tmp_path / "after.py").write_text(GOOD.replace("self.last = x", "self.last += x"))  # visit_AugAssign: still fine
    monkeypatch.chdir(tmp_path)
    assert cli.main(["crashes.py", "other.py", "after.py", "--no-cache", "--format", "concise", *TARGET]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("exportlint: checked 3 files") and err.count("\n") == 1, err
    lines = out.splitlines()
    assert len(lines) == 3, out
    assert lines[0].startswith("crashes.py:1:1: EXP001 internal error in rule EXP201: ZeroDivisionError: simulated")
    assert lines[1].startswith("other.py:5:28: EXP202 ")
    assert lines[2].startswith("after.py:6:9: EXP201 ")


def test_a_rule_that_raises_does_not_hide_other_rules_in_the_same_file(tmp_path, monkeypatch, capsys):
    def broken(self, node, ctx, behaviour):
        raise ZeroDivisionError("simulated rule bug")

    monkeypatch.setattr(ModuleAttributeMutation, "visit_Assign", broken)
    both = TENSOR_DEFAULT.replace("return x + b", "self.last = x\n        return x + b")
    (tmp_path / "both.py").write_text(both)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["both.py", "--no-cache", "--format", "concise", *TARGET]) == 1
    codes = [line.split()[1] for line in capsys.readouterr().out.splitlines()]
    assert sorted(codes) == ["EXP001", "EXP202"]


def test_an_analysis_bug_is_exp001_naming_the_file_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
    real_roots = engine.ModelMap.roots

    def roots(self):
        if "Bias" in self.classes:
            raise KeyError("simulated analysis bug")
        return real_roots(self)

    monkeypatch.setattr(engine.ModelMap, "roots", roots)
    (tmp_path / "other.py").write_text(TENSOR_DEFAULT)
    (tmp_path / "good.py").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["other.py", "good.py", "--no-cache", "--format", "concise", *TARGET]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("other.py:1:1: EXP001 internal error: KeyError: 'simulated analysis bug' (at ")
    assert lines[1].startswith("good.py:6:9: EXP201 ")


def test_an_unexpected_error_in_the_run_is_exit_2_and_one_line(tmp_path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated: a worker process was killed")

    monkeypatch.setattr("exportlint.project_lint.lint_project", broken)  # what the CLI runs since the project view
    (tmp_path / "good.py").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["good.py", "--no-cache"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("exportlint: internal error: RuntimeError: simulated: a worker process was killed (at ")


# The linted code never runs -------------------------------------------------

def test_linted_code_is_never_imported_or_run(tmp_path):
    marker = tmp_path / "MARKER"
    write_marker = f"open({str(marker)!r}, 'w').write('ran')"
    (tmp_path / "trap.py").write_text(
        textwrap.dedent(
            f"""\
            import os, sys
            {write_marker}
            os.system({("touch " + str(marker)).__repr__()})


            def mark():
                {write_marker}
                return lambda f: f


            class Trap(torch.nn.Module, metaclass=mark()):
                {write_marker}

                @mark()
                def forward(self, x, y=mark(), z: mark() = 0):
                    self.last = x
                    return x


            if __name__ == "__main__":
                {write_marker}
            sys.exit(3)
            os._exit(4)
            raise SystemExit(5)
            while True:
                pass
            """
        ).replace("import os, sys", "import os, sys\nimport torch")
    )
    (tmp_path / "exits.py").write_text("import os\nos._exit(3)\n" + GOOD)
    # A torch.py next to the code: `python -m` puts the cwd first on sys.path,
    # so anything that imported torch would run this instead.
    (tmp_path / "torch.py").write_text(write_marker + "\nimport os\nos._exit(6)\n")
    (tmp_path / "good.py").write_text(GOOD)
    result = run_cli("trap.py", "exits.py", "good.py", *TARGET, "--no-cache", cwd=tmp_path)
    assert not marker.exists()
    assert result.returncode == 1, result.stderr
    assert [line.split(" ", 2)[:2] for line in result.stdout.splitlines()] == [
        ["trap.py:17:9:", "EXP201"], ["exits.py:8:9:", "EXP201"], ["good.py:6:9:", "EXP201"],
    ]
    before = set(sys.modules)
    engine.lint_path(str(tmp_path / "trap.py"), settings(target_torch="2.13"))
    assert not marker.exists()
    assert not {"trap", "exits"} & (set(sys.modules) - before)


# Timeouts -------------------------------------------------------------------

def big_model(classes: int = 400) -> str:
    """A generated model file that takes seconds to lint."""
    parts = ["import torch\n"]
    for index in range(classes):
        parts.append(
            textwrap.dedent(
                f"""

                class Block{index}(torch.nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.scale = torch.nn.Parameter(torch.ones({index + 1}))

                    def forward(self, x, y):
                        n = x.shape[0] + y.size(1) * {index}
                        z = [v * self.scale for v in x.unbind(0) if v.sum() > {index}]
                        self.cache{index} = round(n / 2)
                        return torch.cat(z) if z else x[: n // 2]
                """
            )
        )
    return "".join(parts)


@pytest.fixture(scope="module")
def timeout_tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("timeouts")
    (root / "a_big.py").write_text(big_model())
    (root / "good.py").write_text(GOOD)
    (root / "other.py").write_text(TENSOR_DEFAULT)
    return root


def check_big_file_timed_out(result):
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    assert lines[0].startswith("a_big.py:1:1: EXP002 gave up after 0.2s (timeout); file not linted")
    assert lines[1].startswith("good.py:6:9: EXP201 ")
    assert lines[2].startswith("other.py:5:28: EXP202 ")


def test_timeout_option_gives_exp002_and_the_other_files_findings_remain(timeout_tree):
    assert len((timeout_tree / "a_big.py").read_bytes()) < MIN_SIZE_LIMIT  # the timer, not the size limit
    result = run_cli("a_big.py", "good.py", "other.py", *TARGET, "--no-cache", "--timeout", "0.2", cwd=timeout_tree)
    check_big_file_timed_out(result)


def test_timeout_from_pyproject(timeout_tree):
    (timeout_tree / "pyproject.toml").write_text("[tool.exportlint]\ntimeout = 0.2\n")
    try:
        check_big_file_timed_out(run_cli("a_big.py", "good.py", "other.py", *TARGET, "--no-cache", cwd=timeout_tree))
    finally:
        (timeout_tree / "pyproject.toml").unlink()


def test_timeouts_are_not_cached(timeout_tree):
    env = {"EXPORTLINT_CACHE_DIR": str(timeout_tree / "cache")}
    first = run_cli("a_big.py", "good.py", "other.py", *TARGET, "--timeout", "0.2", cwd=timeout_tree, env=env)
    check_big_file_timed_out(first)
    [finding] = engine.lint_path(str(timeout_tree / "a_big.py"), settings(target_torch="2.13", timeout=0.2))
    assert finding.code == "EXP002"
    assert not any("EXP002" in path.read_text() for path in (timeout_tree / "cache").glob("*.json"))


def test_a_timeout_the_interpreter_drops_comes_again(timeout_tree, monkeypatch):
    """The alarm can land inside a weakref or __del__ callback, where the interpreter prints
    the FileTimeout and drops it: the limit must still hold (the alarm is armed again)."""
    import time

    from exportlint.traversal import FileTimeout

    real_build = engine.build
    dropped = []

    def build_where_the_first_alarm_is_lost(text):
        try:
            time.sleep(1.0)  # the 0.2 s alarm lands here...
        except FileTimeout:
            dropped.append(True)  # ...and is swallowed, as "Exception ignored in" would
        return real_build(text)

    monkeypatch.setattr(engine, "build", build_where_the_first_alarm_is_lost)
    [finding] = engine.lint_path(str(timeout_tree / "a_big.py"), settings(target_torch="2.13", timeout=0.2))
    assert dropped == [True]
    assert finding.code == "EXP002"


def test_the_alarm_waits_until_cpython_has_built_the_ast():
    """A time-limit alarm landing inside CPython's AST constructor would come out as SystemError
    ("AST constructor recursion depth mismatch"), failing the file as an internal error (seen in CI):
    source.alarm_held keeps it until the parse returns, and it is raised there."""
    import ast
    import signal

    from exportlint.source import alarm_held

    fired, parsed = [], []

    def expire(signum, frame):
        fired.append(True)
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        with pytest.raises(TimeoutError):
            with alarm_held():
                os.kill(os.getpid(), signal.SIGALRM)
                ast.parse("x = [1, 2, 3]\n" * 2000)
                parsed.append(fired == [])
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert parsed == [True] and fired == [True]
