#!/usr/bin/env python
"""Churn: files edited, deleted and restored while `exportlint -j 2` runs; the cache must stay right.

    python bench/churn.py --corpus /tmp/tf/transformers/models --runs 20
    python bench/churn.py --runs 3 --files 100        # a quick check

Each run is one generation of the tree: a random share of the files (all
with ``--fresh 1``) gets a first line ``# churn generation N`` (so their bytes
are not in the cache yet and they go to workers), then a thread edits,
deletes and restores random files, mostly those, for as long as the `-j 2`
run lasts. Afterwards every file is restored
to its generation's bytes and linted again with the cache; that run must
report exactly what a `--no-cache` run reports for the same tree (the
generation line shifts every finding by one line in every generation, so
one reference serves all; a last `--no-cache` run on the final tree checks
that). See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Tuple

HERE = Path(__file__).resolve().parent
Finding = Tuple[int, int, str, str]


def pick_files(corpus: Path, count: int) -> List[Path]:
    """Every 8th .py file of the sorted tree (spread over many models), up to ``count``."""
    files = sorted(p for p in corpus.rglob("*.py") if p.is_file())
    return files[::8][:count]


def lint(tree: Path, cache: Path, *options: str) -> Tuple[Dict[str, List[Finding]], float]:
    env = dict(os.environ, NO_COLOR="1", EXPORTLINT_CACHE_DIR=str(cache))
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "exportlint", "--format", "json", "--exit-zero", "-j", "2", *options, "."],
        cwd=tree, env=env, capture_output=True, text=True, timeout=3600,
    )
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"exportlint failed ({result.returncode}): {result.stderr[-2000:]}")
    found: Dict[str, List[Finding]] = {}
    for item in json.loads(result.stdout):
        found.setdefault(item["path"], []).append((item["line"], item["column"], item["code"], item["message"]))
    return found, elapsed


def _edited(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    choice = rng.randrange(4)
    if choice == 0:  # a blank line on top: every finding moves
        return b"\n" + data
    if choice == 1:  # cut in half: usually a syntax error
        return data[: len(data) // 2]
    if choice == 2 and len(lines) > 2:  # one line gone
        del lines[rng.randrange(len(lines))]
        return b"".join(lines)
    return data + b"\nclass Churn(torch.nn.Module):\n    def forward(self, x):\n        self.seen = x\n" \
        b"        return x\n"


class Churner(threading.Thread):
    """Edits, deletes and restores random files until stopped; counts what it did."""

    def __init__(self, contents: Dict[Path, bytes], fresh: List[Path], rng: random.Random) -> None:
        super().__init__(daemon=True)
        self.contents, self.fresh, self.rng = contents, fresh, rng
        self.stop = threading.Event()
        self.counts = {"edit": 0, "delete": 0, "restore": 0}

    def run(self) -> None:
        paths = list(self.contents)
        while not self.stop.is_set():
            # Mostly the files this run must lint (cache misses): there an edit races a worker.
            path = self.rng.choice(self.fresh if self.fresh and self.rng.random() < 0.8 else paths)
            action = self.rng.choices(["edit", "delete", "restore"], [5, 2, 3])[0]
            try:
                if action == "delete":
                    path.unlink(missing_ok=True)
                elif action == "edit":
                    path.write_bytes(_edited(self.contents[path], self.rng))
                else:
                    path.write_bytes(self.contents[path])
            except OSError:
                continue
            self.counts[action] += 1
            time.sleep(self.rng.uniform(0.0, 0.02))


def compare(got: Dict[str, List[Finding]], want: Dict[str, List[Finding]]) -> List[str]:
    return sorted(p for p in set(got) | set(want) if sorted(got.get(p, [])) != sorted(want.get(p, [])))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/tf/transformers/models"),
                        help="directory of Python files (default: an unpacked transformers wheel's models/)")
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--fresh", type=float, default=1.0, help="share of files given new bytes each run")
    parser.add_argument("--max-minutes", type=float, default=0, help="start no run after this many minutes")
    parser.add_argument("--work", type=Path, default=HERE / ".work" / "churn")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    sources = pick_files(args.corpus, args.files)
    if not sources:
        raise SystemExit(f"no .py files under {args.corpus}")
    shutil.rmtree(args.work, ignore_errors=True)
    tree, cache = args.work / "tree", args.work / "cache"
    originals: Dict[Path, bytes] = {}
    for source in sources:
        target = tree / source.relative_to(args.corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        originals[target] = source.read_bytes()

    def with_header(number: int, data: bytes) -> bytes:
        return f"# churn generation {number}\n".encode() + data

    def write(contents: Dict[Path, bytes]) -> None:
        for path, data in contents.items():
            path.write_bytes(data)

    contents = {path: with_header(0, data) for path, data in originals.items()}
    write(contents)
    reference, reference_seconds = lint(tree, cache, "--no-cache")
    total_reference = sum(len(v) for v in reference.values())
    print(f"{len(originals)} files, {total_reference} findings in the --no-cache reference ({reference_seconds:.1f}s)")

    figures = {"files": len(originals), "reference_findings": total_reference, "runs": []}
    mismatched_total = 0
    began = time.monotonic()
    runs = 0
    for number in range(1, args.runs + 1):
        if args.max_minutes and time.monotonic() - began > args.max_minutes * 60:
            print(f"time budget spent: stopping after {runs} runs")
            break
        runs += 1
        fresh = [p for p in originals if rng.random() < args.fresh]
        for path in fresh:
            contents[path] = with_header(number, originals[path])
        write(contents)
        churner = Churner(contents, fresh, rng)
        churner.start()
        _, churn_seconds = lint(tree, cache)
        churner.stop.set()
        churner.join()
        write(contents)  # restored: this generation's bytes, every file present
        cached, cached_seconds = lint(tree, cache)
        wrong = compare(cached, reference)
        mismatched_total += len(wrong)
        row = {"run": number, "fresh_files": len(fresh), **churner.counts, "churn_run_s": round(churn_seconds, 1),
               "cached_run_s": round(cached_seconds, 1), "findings_compared": total_reference,
               "mismatched_files": wrong}
        figures["runs"].append(row)
        print(f"run {number:2}: {len(fresh)} files with new bytes; {churner.counts['edit']} edits, "
              f"{churner.counts['delete']} deletions, "
              f"{churner.counts['restore']} restores during {churn_seconds:.1f}s; cached run "
              f"{cached_seconds:.1f}s: {len(wrong)} files differ from --no-cache", flush=True)

    final, _ = lint(tree, cache, "--no-cache")
    reference_still_holds = not compare(final, reference)
    figures.update(runs_done=runs, mismatched_files_total=mismatched_total, reference_still_holds=reference_still_holds,
                   findings_compared_total=total_reference * runs)
    print(f"{runs} runs x {len(originals)} files, {total_reference * runs} findings compared: "
          f"{mismatched_total} mismatched files; final --no-cache run equals the reference: {reference_still_holds}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0 if runs and mismatched_total == 0 and reference_still_holds else 1


if __name__ == "__main__":
    sys.exit(main())
