"""Measure the case catalog on every torch release users run; write the data file.

For each release: a fresh virtual environment, that torch (a full install: the
registry's CUDA builds import only with their dependencies), exportlint from a
snapshot of this tree, then ``exportlint verify --format json`` in both modes.
The measured outcomes go to ``exportlint/data/outcomes.json``, keyed
release -> case -> form (bad, fixed, shapes=<variant>) -> mode, each case with
the fingerprint of what was measured (sources, inputs, shapes). Resumable: on a
release already in the file only the cases that are missing or whose
fingerprint changed are measured (``--force`` measures all again). One release
at a time; each venv is deleted when done. Not part of CI: it downloads several
GB per release. The work directory must be outside the repository (a venv
inside it would change the project root exportlint finds).

    python bench/sweep.py                       # the default releases
    python bench/sweep.py 2.4.1 --force 2.13.0  # more, or again
    python bench/sweep.py --changes             # what moves between releases
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "exportlint" / "data" / "outcomes.json"
WORK = Path.home() / ".cache" / "exportlint-sweep"
RELEASES = ("2.5.1", "2.6.0", "2.7.1", "2.8.0", "2.9.1", "2.10.0", "2.11.0", "2.12.1", "2.13.0", "2.14.1", "2.15.0")
MIN_FREE_GB = 15.0
MESSAGE_CHARS = 300


def log(text: str) -> None:
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S")
    print(f"[{stamp}] {text}", flush=True)


def free_gb(path: Path) -> float:
    return shutil.disk_usage(path).free / 1e9


def load(path: Path) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    return {"schema": 1, "releases": {}}


def save(path: Path, data: dict) -> None:
    data["releases"] = dict(sorted(data["releases"].items(), key=lambda kv: _version_key(kv[0])))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")
    tmp.replace(path)


def _version_key(text: str):
    return tuple(int(p) if p.isdigit() else 0 for p in text.split("."))


def run(cmd: List[str], timeout: float, env: Optional[dict] = None, cwd: Optional[Path] = None):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)


def snapshot(work: Path) -> tuple:
    """A copy of exportlint as it is now: editing the tree during a sweep cannot
    change what later releases run."""
    commit = run(["git", "rev-parse", "HEAD"], 60, cwd=ROOT).stdout.strip()
    status = run(["git", "status", "--porcelain", "exportlint"], 60, cwd=ROOT).stdout.splitlines()
    dirty = any(not line.endswith("exportlint/data/outcomes.json") for line in status)  # the sweep's own output
    target = work / "src"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "exportlint", target / "exportlint",
                    ignore=shutil.ignore_patterns("__pycache__", "outcomes.json"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, target / name)
    return target, commit + ("+dirty" if dirty else "")


# The machine's pip constraint file caps torch; a sweep measures past it.
PIP_ENV = dict(os.environ, PIP_CONSTRAINT="/dev/null")


def wheels(work: Path, release: str) -> Path:
    return work / "wheels" / release


def prefetch(work: Path, release: str) -> threading.Thread:
    """Download torch==release and its dependencies while the previous release is
    measured: the download (several GB) then overlaps the measuring."""
    folder = wheels(work, release)

    def fetch() -> None:
        if (folder / ".done").exists():
            return
        shutil.rmtree(folder, ignore_errors=True)
        cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-cache-dir", "-d", str(folder),
               f"torch=={release}", "numpy"]
        try:
            done = run(cmd, 3600, env=PIP_ENV)
        except subprocess.TimeoutExpired:
            return
        if done.returncode == 0:
            (folder / ".done").touch()

    thread = threading.Thread(target=fetch, daemon=True)
    thread.start()
    return thread


def install(venv: Path, release: str, source: Path, fetched: Optional[Path] = None) -> str:
    """A venv with torch==release (full install) and exportlint; returns torch.__version__."""
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # --no-compile: byte-compiling torch's thousands of modules is minutes of CPU;
    # the few that run are compiled on import.
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-cache-dir", "--no-compile"]
    env = PIP_ENV
    local = ["--no-index", "--find-links", str(fetched)] if fetched and (fetched / ".done").exists() else []
    done = run(pip + local + [f"torch=={release}", "numpy"], 3600, env=env)
    if done.returncode and local:  # a partial download: the registry again
        done = run(pip + [f"torch=={release}", "numpy"], 3600, env=env)
    if done.returncode:
        raise RuntimeError(f"pip install torch=={release} failed: {done.stderr[-2000:]}")
    done = run(pip + ["--no-deps", str(source)], 600, env=env)
    if done.returncode:
        raise RuntimeError(f"pip install exportlint failed: {done.stderr[-2000:]}")
    done = run(pip + ["libcst", "packaging"], 600, env=env)
    if done.returncode:
        raise RuntimeError(f"pip install libcst packaging failed: {done.stderr[-2000:]}")
    probe = run([str(venv / "bin" / "python"), "-c", "import torch; print(torch.__version__)"], 600)
    if probe.returncode:
        raise RuntimeError(f"torch {release} does not import: {probe.stderr[-2000:]}")
    return probe.stdout.strip()


def verify(venv: Path, cases: List[str], timeout: float) -> Optional[dict]:
    """exportlint verify --format json in the venv, outside the source tree so the
    snapshot is what runs; None when the process died without its report."""
    cmd = [str(venv / "bin" / "python"), "-m", "exportlint", "verify", "--format", "json", *cases]
    try:
        done = run(cmd, timeout, cwd=venv)
    except subprocess.TimeoutExpired:
        return None
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(done.stderr[-2000:])
        return None


def measure_release(venv: Path, all_names: List[str]) -> List[dict]:
    report = verify(venv, all_names, 5400)
    if report is not None:
        return report["rows"]
    # The whole run died (a segfault, a hang): one process per case, so one bad
    # case is a row that says so and the others are still measured.
    log("  whole-catalog run died; measuring case by case")
    rows: List[dict] = []
    for name in all_names:
        one = verify(venv, [name], 900)
        if one is None:
            rows += [{"case": name, "variant": "bad", "mode": mode, "result": "crashed",
                      "error": "", "message": "the verify process died or timed out on this case"}
                     for mode in ("strict", "non-strict")]
        else:
            rows += one["rows"]
    return rows


def record(rows: List[dict], fingerprints: Dict[str, Dict[str, str]]) -> Dict[str, dict]:
    cases: Dict[str, dict] = {name: {"fingerprints": fingerprints[name]} for name in {r["case"] for r in rows}}
    for row in rows:
        entry = {"result": row["result"]}
        if row.get("error"):
            entry["error"] = row["error"]
        if row.get("message"):
            entry["message"] = row["message"][:MESSAGE_CHARS]
        cases.setdefault(row["case"], {}).setdefault(row["variant"], {})[row["mode"]] = entry
    return dict(sorted(cases.items()))


def case_fingerprints(source: Path) -> Dict[str, Dict[str, str]]:
    """case -> form -> fingerprint, read from the snapshot (no torch needed)."""
    code = ("import json; from exportlint.cases import all_cases; "
            "print(json.dumps({n: {f: c.fingerprint(f) for f in c.forms()} for n, c in all_cases().items()}))")
    done = run([sys.executable, "-c", code], 120, cwd=source)
    if done.returncode:
        raise RuntimeError(f"cannot read the catalog: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def stale(recorded: dict, fingerprints: Dict[str, Dict[str, str]]) -> List[str]:
    """Cases of the catalog a recorded release lacks, or measured in another form."""
    cases = recorded.get("cases", {})
    return [name for name, forms in fingerprints.items()
            if cases.get(name, {}).get("fingerprints") != forms]


def _cell(row: Optional[dict]) -> str:
    if row is None:
        return "unmeasured"
    if row["result"] in ("fails", "crashed"):
        if str(ROOT) not in sys.path:  # run as a script from anywhere: the tree's own exportlint
            sys.path.insert(0, str(ROOT))
        from exportlint.cases._case import first_clause

        return f"{row['result']} ({row.get('error', '')}: \"{first_clause(row.get('message', ''), 50)}\")"
    return row["result"]


def changes(data: dict) -> List[str]:
    """Every outcome that changes between consecutive measured releases."""
    releases = sorted(data["releases"], key=_version_key)
    names = sorted({n for r in releases for n in data["releases"][r]["cases"]})
    out = []
    for name in names:
        forms = sorted({f for r in releases for f in data["releases"][r]["cases"].get(name, {}) if f != "fingerprints"},
                       key=lambda f: (f != "bad", f != "fixed", f))
        for variant in forms:
            for mode in ("strict", "non-strict"):
                previous = None
                for release in releases:
                    row = data["releases"][release]["cases"].get(name, {}).get(variant, {}).get(mode)
                    cell = _cell(row)
                    if previous is not None and cell != previous[1] and row is not None:
                        label = {"bad": name, "fixed": f"{name} (rewrite)"}.get(variant, f"{name} ({variant})")
                        out.append(f"{label} {mode}: {previous[0]} {previous[1]} -> {release} {cell}")
                    if row is not None:
                        previous = (release, cell)
    return out


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("releases", nargs="*", help=f"torch releases (default: {' '.join(RELEASES)})")
    parser.add_argument("--force", action="store_true", help="measure releases already in the data file again")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--work", type=Path, default=WORK, help="where the venvs live (deleted after each)")
    parser.add_argument("--changes", action="store_true", help="print what moves between recorded releases; no sweep")
    args = parser.parse_args(argv)
    args.work = args.work.resolve()  # the venvs' programs run with the venv as their working directory
    if args.changes:
        print("\n".join(changes(load(args.data))))
        return 0

    args.work.mkdir(parents=True, exist_ok=True)
    source, commit = snapshot(args.work)
    fingerprints = case_fingerprints(source)
    log(f"exportlint {commit}, {len(fingerprints)} cases, data file {args.data}")
    failed = []
    todo = []
    for release in args.releases or RELEASES:
        recorded = load(args.data)["releases"].get(release, {})
        names = list(fingerprints) if args.force or not recorded else stale(recorded, fingerprints)
        if names:
            todo.append((release, names))
        else:
            log(f"torch {release}: every case recorded, skipped")
    fetching: Dict[str, threading.Thread] = {}
    for index, (release, names) in enumerate(todo):
        free = free_gb(args.work)
        if free < MIN_FREE_GB:
            log(f"torch {release}: only {free:.1f} GB free (need {MIN_FREE_GB}); stopping")
            return 1
        log(f"torch {release}: {len(names)} cases to measure; {free:.1f} GB free; installing")
        venv = args.work / f"venv-{release}"
        started = time.monotonic()
        try:
            if release in fetching:
                fetching[release].join()
            version = install(venv, release, source, wheels(args.work, release))
            shutil.rmtree(wheels(args.work, release), ignore_errors=True)
            log(f"torch {release}: torch {version} installed in {time.monotonic() - started:.0f} s; measuring")
            if index + 1 < len(todo) and free_gb(args.work) > 2 * MIN_FREE_GB:
                following = todo[index + 1][0]
                fetching[following] = prefetch(args.work, following)
            rows = measure_release(venv, names)
        except Exception as exc:  # one release's failure must not lose the others
            log(f"torch {release}: FAILED: {exc}")
            failed.append(release)
            continue
        finally:
            shutil.rmtree(venv, ignore_errors=True)
        data = load(args.data)  # re-read: a parallel edit of another release is kept
        entry = data["releases"].get(release) if not args.force else None
        cases = dict(entry["cases"]) if entry else {}
        cases = {n: c for n, c in cases.items() if n in fingerprints}  # cases no longer in the catalog go
        cases.update(record(rows, fingerprints))
        data["releases"][release] = {
            "torch": version,
            "python": f"{sys.version_info.major}.{sys.version_info.minor}",
            "measured": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
            "exportlint": commit,
            "cases": dict(sorted(cases.items())),
        }
        save(args.data, data)
        counts: Dict[str, int] = {}
        for row in rows:
            counts[row["result"]] = counts.get(row["result"], 0) + 1
        log(f"torch {release}: recorded {len(rows)} rows {counts} in {time.monotonic() - started:.0f} s")
    if failed:
        log(f"failed: {' '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
