#!/usr/bin/env python
"""Benchmark exportlint against a bare libcst parse of the same files.

    python bench/run.py                  # transformers/models from the 5.24.0 wheel
    python bench/run.py --quick          # every 8th file: a fast check
    python bench/run.py --corpus DIR     # any directory instead
    python bench/run.py --json out.json  # also write the results

Modes, all on one file list and each in its own process, so wall time includes
interpreter start-up and imports:

  bare parse    read + decode + libcst.parse_module of every file, one process
  -j 1 cold     exportlint, one process, fresh empty cache directory
  -j 2 cold     exportlint, two worker processes, fresh empty cache directory
  warm          exportlint again on the cache the -j 1 cold run left, nothing changed

See bench/README.md for what the numbers mean and the targets they are checked against.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
import zipfile
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
# Outside the repository: a corpus inside it would make this repository its project
# (exportlint reads a linted file's whole project), and `exportlint .` here would walk it.
DEFAULT_WORK = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "exportlint-bench"
DEFAULT_VERSION = "5.24.0"
PACKAGE = "transformers"
SUBTREE = "transformers/models/"
QUICK_STEP = 8

# (mode, what is compared, limit): wall ratios are against the bare parse.
TARGETS = (
    ("-j 1 cold", "ratio", 1.0),
    ("-j 2 cold", "ratio", 0.6),
    ("warm", "ratio", 0.05),
    ("-j 1 cold", "peak_mib", 150.0),
)
# Absolute targets (seconds), and the editor target: flake8 --select EXP on one
# large model file, project summaries cached, no slower than flake8 with pycodestyle's
# and pyflakes' codes. Spelled E1..E9,F,W: `E` alone is a prefix of `EXP` and would
# select exportlint too (the plugin does nothing only when no EXP code is selected).
PYCODESTYLE_PYFLAKES = "E1,E2,E3,E4,E5,E7,E9,F,W"
EDIT_TARGET_S = 2.0


# --------------------------------------------------------------------------
# The bare-parse child: stdlib + libcst only, so it measures what a parse costs.
# --------------------------------------------------------------------------
def _bare_parse_child(list_file: str) -> int:
    import libcst

    with open(list_file, encoding="utf-8") as handle:
        paths = [line.rstrip("\n") for line in handle if line.strip()]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    failed = []
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            libcst.parse_module(data.decode(encoding))
        except Exception as exc:  # counted, not fatal: the linter reports these too
            failed.append(f"{path}: {type(exc).__name__}")
    json.dump(
        {
            "files": len(paths),
            "failed": failed,
            "loop_wall": time.perf_counter() - wall0,
            "loop_cpu": time.process_time() - cpu0,
        },
        sys.stdout,
    )
    return 0


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------
def _pip_download(spec: str, dest: Path) -> Optional[Path]:
    """The wheel pip downloaded for ``spec`` into ``dest``, or None."""
    dest.mkdir(parents=True, exist_ok=True)
    before = set(dest.glob(f"{PACKAGE}-*.whl"))
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", spec, "-d", str(dest)]
    print(f"$ {' '.join(cmd)}", file=sys.stderr)
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        print(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "pip failed", file=sys.stderr)
        return None
    wheels = sorted(set(dest.glob(f"{PACKAGE}-*.whl")) - before) or sorted(dest.glob(f"{PACKAGE}-*.whl"))
    if "==" in spec:
        version = spec.split("==", 1)[1]
        wheels = [w for w in wheels if w.name.startswith(f"{PACKAGE}-{version}-")] or wheels
    return wheels[-1] if wheels else None


def _wheel_version(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def fetch_corpus(work: Path, version: str) -> Tuple[Path, str, str]:
    """(directory of transformers/models, version used, note). Downloads and
    unpacks once; later runs reuse bench/.work/."""
    work.mkdir(parents=True, exist_ok=True)
    index_file = work / "corpus.json"
    index: Dict[str, str] = {}
    if index_file.exists():
        try:
            index = json.loads(index_file.read_text(encoding="utf-8"))
        except ValueError:
            index = {}
    used = index.get(version)
    if used is not None:
        root = work / f"{PACKAGE}-{used}"
        if (root / "COMPLETE").exists():
            return root / SUBTREE, used, _note(version, used)

    wheels = work / "wheels"
    existing = sorted(wheels.glob(f"{PACKAGE}-{version}-*.whl"))
    wheel = existing[-1] if existing else _pip_download(f"{PACKAGE}=={version}", wheels)
    if wheel is None:
        print(f"{PACKAGE}=={version} is not available; taking the newest release", file=sys.stderr)
        wheel = _pip_download(PACKAGE, Path(tempfile.mkdtemp(dir=work)))
        if wheel is None:
            raise SystemExit(f"bench: could not download {PACKAGE} (see pip's message above)")
        target = wheels / wheel.name
        shutil.move(str(wheel), target)
        wheel = target
    used = _wheel_version(wheel)
    root = work / f"{PACKAGE}-{used}"
    if not (root / "COMPLETE").exists():
        staging = Path(tempfile.mkdtemp(dir=work, prefix="unpack-"))
        with zipfile.ZipFile(wheel) as archive:
            members = [n for n in archive.namelist() if n.startswith(SUBTREE)]
            archive.extractall(staging, members)
        shutil.rmtree(root, ignore_errors=True)
        staging.rename(root)
        (root / "COMPLETE").write_text(wheel.name + "\n", encoding="utf-8")
    index[version] = used
    index_file.write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    return root / SUBTREE, used, _note(version, used)


def _note(asked: str, used: str) -> str:
    return "" if asked == used else f"{PACKAGE}=={asked} was not available; used {used}, the newest"


def discover_files(directory: Path) -> List[str]:
    """The files exportlint lints when given ``directory``, in its order."""
    from exportlint.config import DEFAULT_EXCLUDE
    from exportlint.files import discover

    return list(discover([str(directory)], DEFAULT_EXCLUDE))


def quick_subset(corpus: Path, work: Path, step: int) -> Path:
    """A directory with every ``step``-th file of ``corpus`` (sorted), same layout."""
    files = sorted(discover_files(corpus))[::step]
    tag = _stable_tag(str(corpus.resolve()))
    subset = work / f"quick-{tag}-every{step}"
    marker = subset / ".COMPLETE"
    if marker.exists() and marker.read_text(encoding="utf-8") == str(len(files)):
        return subset
    shutil.rmtree(subset, ignore_errors=True)
    for path in files:
        relative = os.path.relpath(path, corpus)
        destination = subset / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    marker.write_text(str(len(files)), encoding="utf-8")
    return subset


def _stable_tag(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode()).hexdigest()[:10]


def count_lines(paths: Sequence[str]) -> Tuple[int, int]:
    """(lines, bytes). Reading every file here also warms the page cache, so the
    first measured mode does not pay for disk reads the others skip."""
    lines = size = 0
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        size += len(data)
        lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return lines, size


# --------------------------------------------------------------------------
# Measuring a child process
# --------------------------------------------------------------------------
def _maxrss_mib(value: int) -> float:
    return value / (1024 * 1024) if sys.platform == "darwin" else value / 1024  # bytes on macOS, KiB on Linux


def measure(cmd: Sequence[str], cwd: Path, env: Dict[str, str], out_file: Path) -> dict:
    """Run ``cmd`` and return wall and CPU seconds and peak RSS of it and its
    children. CPU is the RUSAGE_CHILDREN delta; peak RSS comes from wait4 on this
    child alone (ru_maxrss of RUSAGE_CHILDREN only ever grows, so it cannot be
    split per run), and is the largest single process: for -j 2 the workers'
    and the parent's peaks are not added up."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()[0]
    err_file = out_file.with_suffix(".stderr")
    with open(out_file, "wb") as out, open(err_file, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=str(cwd), env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    if proc.returncode != 0:
        tail = err_file.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise SystemExit(f"bench: {' '.join(cmd)} exited {proc.returncode}:\n{tail}")
    return {
        "wall": wall,
        "cpu": user + system,
        "user": user,
        "sys": system,
        "peak_mib": _maxrss_mib(usage.ru_maxrss),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def exportlint_cmd(target: Path, config: Path, jobs: Optional[int]) -> List[str]:
    cmd = [sys.executable, "-m", "exportlint", "--format", "json", "--exit-zero", "--config", str(config)]
    if jobs is not None:
        cmd += ["-j", str(jobs)]
    return cmd + [str(target)]


def _findings(out_file: Path) -> List[tuple]:
    with open(out_file, encoding="utf-8") as handle:
        data = json.load(handle)
    return sorted((d["path"], d["line"], d["column"], d["code"]) for d in data)


def run_modes(target: Path, files: List[str], work: Path, jobs: int, repeat: int) -> Tuple[List[dict], dict]:
    runs_dir = Path(tempfile.mkdtemp(dir=work, prefix="run-"))
    config = runs_dir / "pyproject.toml"  # no [tool.exportlint]: the defaults, whatever the cwd
    config.write_text("# exportlint defaults for the benchmark\n", encoding="utf-8")
    list_file = runs_dir / "files.txt"
    list_file.write_text("".join(f + "\n" for f in files), encoding="utf-8")
    env = dict(os.environ)
    env.pop("EXPORTLINT_CACHE_DIR", None)

    # Unmeasured warm-up: imports come from a warm page cache for every mode.
    subprocess.run([sys.executable, "-c", "import libcst"], check=True)
    subprocess.run([sys.executable, "-m", "exportlint", "--version"], check=True, stdout=subprocess.DEVNULL)

    def bare(i: int) -> dict:
        out = runs_dir / f"bare-{i}.json"
        result = measure([sys.executable, str(Path(__file__).resolve()), "--_bare-parse", str(list_file)],
                         runs_dir, env, out)
        child = json.loads(out.read_text(encoding="utf-8"))
        result.update(loop_wall=child["loop_wall"], loop_cpu=child["loop_cpu"], parse_failures=child["failed"])
        return result

    def cold(jobs_: int, i: int) -> dict:
        cache = runs_dir / f"cache-j{jobs_}-{i}"  # does not exist yet: a cold run
        out = runs_dir / f"cold-j{jobs_}-{i}.json"
        result = measure(exportlint_cmd(target, config, jobs_), runs_dir,
                         dict(env, EXPORTLINT_CACHE_DIR=str(cache)), out)
        result.update(out=str(out), cache=str(cache))
        return result

    def warm(i: int, cache: str) -> dict:
        out = runs_dir / f"warm-{i}.json"
        result = measure(exportlint_cmd(target, config, None), runs_dir,
                         dict(env, EXPORTLINT_CACHE_DIR=cache), out)
        result.update(out=str(out), cache=cache)
        return result

    labels = ["bare parse", "-j 1 cold", f"-j {jobs} cold", "warm"]
    runs: Dict[str, List[dict]] = {label: [] for label in labels}
    # Rounds interleave the modes, so a change in the machine's load over the
    # run is shared out among them rather than landing on one; each mode keeps
    # its fastest round.
    for i in range(repeat):
        steps = [
            lambda: bare(i),
            lambda: cold(1, i),
            lambda: cold(jobs, i),
            lambda: warm(i, runs["-j 1 cold"][-1]["cache"]),  # the cache this round's -j 1 cold run left
        ]
        for label, step in zip(labels, steps):
            result = step()
            result["mode"] = label
            runs[label].append(result)
            print(f"  round {i + 1}/{repeat} {label:<12} wall {result['wall']:8.2f} s  cpu {result['cpu']:8.2f} s  "
                  f"peak {result['peak_mib']:6.1f} MiB  (load {result['load_before']:.1f})",
                  file=sys.stderr, flush=True)
    results = []
    for label in labels:
        chosen = min(runs[label], key=lambda r: r["wall"])
        chosen["walls"] = [r["wall"] for r in runs[label]]
        results.append(chosen)
    single = results[1]

    editor = measure_editor_paths(target, files, runs_dir, env, config, runs["-j 1 cold"][-1]["cache"])

    outputs = [_findings(Path(r["out"])) for r in results[1:]]
    check = {
        "findings": len(outputs[0]),
        "identical": all(o == outputs[0] for o in outputs[1:]),
        "cache_entries": _cache_entries(Path(single["cache"])),
    }
    check["editor"] = editor
    for r in results:
        r.pop("out", None)
        r.pop("cache", None)
    shutil.rmtree(runs_dir, ignore_errors=True)
    return results, check


def _largest_model_file(files: List[str]) -> str:
    models = [f for f in files if os.path.basename(f).startswith("modeling_")]
    by_lines = sorted(models or files, key=lambda f: abs(_line_count(f) - 2000))
    return by_lines[0]


def _line_count(path: str) -> int:
    with open(path, "rb") as handle:
        return handle.read().count(b"\n")


def measure_editor_paths(target: Path, files: List[str], runs_dir: Path, env: Dict[str, str], config: Path,
                         cache: str) -> dict:
    """Re-linting after editing one model file (warm cache otherwise), and flake8 on
    one ~2,000-line model file with EXP against E,F,W, both on the warm cache. Each flake8
    run follows a new edit, as in an editor after a save: the file's findings cannot be
    replayed from the cache (an unchanged file's are: measured too, for CI and pre-commit)."""
    edited = _largest_model_file(files)
    original = Path(edited).read_bytes()
    env_cached = dict(env, EXPORTLINT_CACHE_DIR=cache)
    edits = iter(range(1_000_000))

    def after_an_edit(cmd: List[str], out: Path) -> dict:
        Path(edited).write_bytes(original + f"\n# edit {next(edits)}\n".encode())
        try:
            return measure(cmd, runs_dir, env_cached, out)
        finally:
            Path(edited).write_bytes(original)

    relint = after_an_edit(exportlint_cmd(target, config, None), runs_dir / "edit.json")
    flake8_runs = {}
    for label, select in (("EXP", "EXP"), ("E,F,W", PYCODESTYLE_PYFLAKES)):
        cmd = [sys.executable, "-m", "flake8", "--isolated", "--select", select, "--exit-zero", edited]
        flake8_runs[label] = min(after_an_edit(cmd, runs_dir / f"flake8-{i}.txt")["wall"] for i in range(2))
    cmd = [sys.executable, "-m", "flake8", "--isolated", "--select", "EXP", "--exit-zero", edited]
    measure(cmd, runs_dir, env_cached, runs_dir / "flake8-unchanged-0.txt")  # its findings cached
    unchanged = min(measure(cmd, runs_dir, env_cached, runs_dir / f"flake8-unchanged-{i}.txt")["wall"]
                    for i in range(1, 3))
    print(f"  edit one file, re-lint {relint['wall']:.2f} s; flake8 after an edit of {os.path.basename(edited)} "
          f"({_line_count(edited)} lines): EXP {flake8_runs['EXP']:.2f} s, E,F,W {flake8_runs['E,F,W']:.2f} s; "
          f"EXP on the unchanged file {unchanged:.2f} s", file=sys.stderr, flush=True)
    return {"edited": edited, "relint_wall": relint["wall"], "flake8_exp_wall": flake8_runs["EXP"],
            "flake8_efw_wall": flake8_runs["E,F,W"], "flake8_exp_unchanged_wall": unchanged}


def _cache_entries(cache: Path) -> int:
    """Structure entries in the store (one per project file after a cold run; the
    store keeps one JSON file per entry under <salt>/<kind>/<xx>/)."""
    return sum(1 for _ in cache.glob("*/structure/*/*.json"))


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------
def table(results: List[dict], files: int, lines: int) -> str:
    bare_wall = results[0]["wall"]
    bare_cpu = results[0]["cpu"]
    head = ("mode", "files", "lines", "wall s", "CPU s", "lines/s", "peak MiB", "x bare (wall)", "x bare (CPU)",
            "load")
    rows = [head]
    for r in results:
        r["ratio"] = r["wall"] / bare_wall
        r["cpu_ratio"] = r["cpu"] / bare_cpu
        rows.append((
            r["mode"], f"{files}", f"{lines}", f"{r['wall']:.2f}", f"{r['cpu']:.2f}",
            f"{lines / r['wall']:,.0f}", f"{r['peak_mib']:.1f}", f"{r['ratio']:.3f}", f"{r['cpu_ratio']:.3f}",
            f"{r['load_before']:.1f}",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines_out = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines_out.append("| " + " | ".join(cells) + " |")
        if n == 0:
            lines_out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines_out)


def check_targets(results: List[dict], jobs: int) -> List[dict]:
    by_mode = {r["mode"]: r for r in results}
    verdicts = []
    for mode, key, limit in TARGETS:
        mode = mode.replace("-j 2", f"-j {jobs}")
        value = by_mode[mode][key]
        what = "wall vs bare parse" if key == "ratio" else "peak RSS MiB"
        unit = "x" if key == "ratio" else " MiB"
        verdicts.append({
            "mode": mode, "measure": what, "value": value, "limit": limit, "pass": value <= limit,
            "text": f"{'PASS' if value <= limit else 'FAIL'}  {mode:<10} {what:<18} "
                    f"{value:8.3f}{unit} <= {limit:g}{unit}",
        })
    return verdicts


def revision() -> str:
    """The exportlint under test: its version and, from a git checkout, the commit."""
    import exportlint

    text = f"exportlint {exportlint.__version__}"
    repo = Path(exportlint.__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--", "exportlint"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return text
    return f"{text} at {head}{' + uncommitted changes' if dirty else ''}"


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--_bare-parse"]:
        return _bare_parse_child(argv[1])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="lint this directory instead of transformers/models")
    parser.add_argument("--version", default=DEFAULT_VERSION, help=f"transformers release (default {DEFAULT_VERSION})")
    parser.add_argument("--quick", action="store_true", help=f"every {QUICK_STEP}th file (sorted) only")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the parallel mode (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="run each mode N times, keep the fastest")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="download and scratch dir (bench/.work)")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    if args.jobs < 2:
        parser.error("--jobs must be at least 2 (the single-process mode always runs)")

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    note = ""
    if args.corpus is not None:
        corpus = args.corpus.resolve()
        if not corpus.is_dir():
            parser.error(f"--corpus: not a directory: {corpus}")
        source = str(corpus)
    else:
        corpus, used, note = fetch_corpus(work, args.version)
        source = f"{PACKAGE} {used} wheel, {SUBTREE}"
        if note:
            print(f"NOTE: {note}", file=sys.stderr)
    target = quick_subset(corpus, work, QUICK_STEP) if args.quick else corpus
    files = discover_files(target)
    if not files:
        parser.error(f"no Python files under {target}")
    lines, size = count_lines(files)
    print(f"corpus: {source}{' (quick: every %dth file)' % QUICK_STEP if args.quick else ''}: "
          f"{len(files)} files, {lines:,} lines, {size / 2**20:.1f} MiB", file=sys.stderr)

    results, check = run_modes(target, files, work, args.jobs, max(1, args.repeat))
    print()
    print(f"{revision()}; corpus: {source}{' (--quick)' if args.quick else ''}; "
          f"python {platform.python_version()}, {os.cpu_count()} cores")
    busiest = max(r["load_before"] for r in results)
    if busiest > (os.cpu_count() or 1) + 0.5:  # the benchmark's own last run counts in it too
        print(f"WARNING: the 1-minute load average reached {busiest:.1f} on {os.cpu_count()} cores before a run: "
              f"other processes shared the CPUs and wall times are inflated; compare CPU seconds, or use --repeat")
    print(table(results, len(files), lines))
    failures = results[0].get("parse_failures") or []
    print(f"\nfindings: {check['findings']} "
          f"({'identical in all three exportlint runs' if check['identical'] else 'DIFFER between runs'}); "
          f"structure entries cached after -j 1 cold: {check['cache_entries']}; bare-parse failures: {len(failures)}")
    verdicts = check_targets(results, args.jobs)
    editor = check["editor"]
    for label, value, limit in (
        ("re-lint after editing one file, s", editor["relint_wall"], EDIT_TARGET_S),
        ("flake8 EXP after an edit, s (limit: E,F,W)", editor["flake8_exp_wall"], editor["flake8_efw_wall"]),
    ):
        verdicts.append({"mode": "editor", "measure": label, "value": value, "limit": limit, "pass": value <= limit,
                         "text": f"{'PASS' if value <= limit else 'FAIL'}  {label:<42} {value:8.2f} <= {limit:.2f}"})
    print()
    for v in verdicts:
        print(v["text"])
    if args.json:
        payload = {
            "corpus": source, "note": note, "quick": args.quick, "files": len(files), "lines": lines, "bytes": size,
            "exportlint": revision(), "python": platform.python_version(), "cores": os.cpu_count(),
            "platform": platform.platform(),
            "results": results, "check": check, "targets": verdicts,
            "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0 if all(v["pass"] for v in verdicts) and check["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
