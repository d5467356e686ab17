#!/usr/bin/env python
"""Where exportlint's time goes, file by file and stage by stage, in one process.

    python bench/profile_stages.py                 # the corpus bench/run.py downloaded
    python bench/profile_stages.py --quick         # every 8th file
    python bench/profile_stages.py --corpus DIR
    python bench/profile_stages.py --cprofile out.prof   # also a cProfile of the same run

It lints every file with ``exportlint.engine.lint_path`` (as ``-j 1 --no-cache``
does) and wraps the engine's stages from outside, without changing them:

  prefilter   source.may_contain_models (files it rejects are never parsed)
  nesting scan  source.nesting_problem, where the engine has it (a regex scan
              for text too deeply nested for LibCST, before the parse)
  parse       libcst.parse_module
  model map   traced.ModelMap (imports, classes, roots: top-level statements only)
  traversal   the _TracedWalker run over the traced functions (all rules)
  positions   FileContext.diagnostics (PositionProvider; only files with findings)
  other       the rest of lint_path: read, decode, time limit, noqa, sorting

It also measures two candidate pre-passes on the same files, for the report:
``ast.parse`` (CPython's C parser) and a ``def forward`` text test (a file whose
text has no ``def forward`` can have no root, so nothing to report).

If the engine's internals change names, the stages that are no longer found are
reported as missing rather than failing.
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import io
import json
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402  (bench/run.py: the corpus and the file list)

_FORWARD = re.compile(r"\bdef[\s\\]+forward\b")

_clock = time.perf_counter


class Stages:
    """Per-file stage timers, filled in by the wrappers."""

    def __init__(self) -> None:
        self.current: Dict[str, float] = defaultdict(float)
        self.flags: Dict[str, object] = {}

    def reset(self) -> None:
        self.current = defaultdict(float)
        self.flags = {}

    def timed(self, stage: str, func):
        stages = self

        def wrapper(*args, **kwargs):
            start = _clock()
            try:
                return func(*args, **kwargs)
            finally:
                stages.current[stage] += _clock() - start

        wrapper.__wrapped__ = func
        return wrapper


def instrument(stages: Stages) -> List[str]:
    """Wrap the engine's stages; return the names of those that were not found."""
    import libcst

    from exportlint import engine

    missing = []

    prefilter = getattr(engine, "may_contain_models", None)
    if prefilter is None:
        missing.append("prefilter (engine.may_contain_models)")
    else:
        def may_contain_models(text: str, *args) -> bool:
            start = _clock()
            result = prefilter(text, *args)
            stages.current["prefilter"] += _clock() - start
            stages.flags["prefilter_pass"] = bool(result)
            return result

        engine.may_contain_models = may_contain_models

    # A pre-parse scan for text too deeply nested for LibCST, where the engine has one.
    if hasattr(engine, "nesting_problem"):
        engine.nesting_problem = stages.timed("nesting scan", engine.nesting_problem)

    libcst.parse_module = stages.timed("parse", libcst.parse_module)

    model_map = getattr(engine, "ModelMap", None)
    if model_map is None:
        missing.append("model map (engine.ModelMap)")
    else:
        original_roots = model_map.roots

        class TimedModelMap(model_map):
            def __init__(self, *args, **kwargs):
                start = _clock()
                try:
                    super().__init__(*args, **kwargs)
                finally:
                    stages.current["model map"] += _clock() - start

            def roots(self):
                found = original_roots(self)
                stages.flags["roots"] = len(found)
                return found

        engine.ModelMap = TimedModelMap

    walker = getattr(engine, "_TracedWalker", None)
    if walker is None or not hasattr(walker, "run"):
        missing.append("traversal (engine._TracedWalker.run)")
    else:
        walker.run = stages.timed("traversal", walker.run)

    context = getattr(engine, "FileContext", None)
    if context is None or not hasattr(context, "diagnostics"):
        missing.append("positions (engine.FileContext.diagnostics)")
    else:
        context.diagnostics = stages.timed("positions", context.diagnostics)
    return missing


STAGES = ("prefilter", "nesting scan", "parse", "model map", "traversal", "positions", "other")


def profile(files: Sequence[str], settings, stages: Stages, profiler: Optional[cProfile.Profile]) -> List[dict]:
    from exportlint import engine

    records = []
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        stages.reset()
        if profiler is not None:
            profiler.enable()
        start = _clock()
        found = engine.lint_path(path, settings)
        total = _clock() - start
        if profiler is not None:
            profiler.disable()
        timed = dict(stages.current)
        timed["other"] = max(0.0, total - sum(timed.values()))
        text = data.decode("utf-8", errors="replace")
        # Candidate pre-passes, measured outside the lint timing above.
        start = _clock()
        try:
            ast.parse(data)
            ast_ok = True
        except (SyntaxError, ValueError):
            ast_ok = False
        ast_seconds = _clock() - start
        start = _clock()
        has_forward = _FORWARD.search(text) is not None
        forward_seconds = _clock() - start
        records.append({
            "path": path,
            "lines": data.count(b"\n"),
            "total": total,
            "stages": timed,
            "prefilter_pass": stages.flags.get("prefilter_pass", True),
            "parsed": "parse" in timed,
            "roots": stages.flags.get("roots"),
            "findings": len(found),
            "has_forward": has_forward,
            "ast": ast_seconds,
            "ast_ok": ast_ok,
            "forward_test": forward_seconds,
        })
    return records


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   - "


def report(records: List[dict], missing: List[str]) -> str:
    out = io.StringIO()
    total = sum(r["total"] for r in records)
    lines = sum(r["lines"] for r in records)
    n = len(records)
    out.write(f"{n} files, {lines:,} lines, lint time {total:.2f} s ({lines / total:,.0f} lines/s)\n")
    if missing:
        out.write(f"stages not found (engine changed?): {', '.join(missing)}\n")

    out.write("\nstage        seconds   share   files\n")
    for stage in STAGES:
        seconds = sum(r["stages"].get(stage, 0.0) for r in records)
        count = sum(1 for r in records if stage in r["stages"])
        out.write(f"{stage:<11} {seconds:8.2f}  {_pct(seconds, total)}  {count:6d}\n")

    rejected = [r for r in records if not r["prefilter_pass"]]
    parsed = [r for r in records if r["parsed"]]
    no_roots = [r for r in parsed if not r["roots"]]
    with_roots = [r for r in parsed if r["roots"]]
    with_findings = [r for r in records if r["findings"]]

    def block(title: str, group: List[dict]) -> None:
        g_lines = sum(r["lines"] for r in group)
        g_time = sum(r["total"] for r in group)
        g_parse = sum(r["stages"].get("parse", 0.0) for r in group)
        out.write(f"  {title:<44} {len(group):5d} files ({_pct(len(group), n)})  "
                  f"{g_lines:9,} lines ({_pct(g_lines, lines)})  lint {g_time:7.2f} s  parse {g_parse:7.2f} s\n")

    out.write("\nfiles\n")
    block("skipped by the prefilter (never parsed)", rejected)
    block("parsed", parsed)
    block("  parsed, no root (no nn.Module forward)", no_roots)
    block("  parsed, with roots", with_roots)
    block("with findings (pay for positions)", with_findings)

    # Candidate: a `def forward` text test ahead of the parse.
    forwardless = [r for r in parsed if not r["has_forward"]]
    unsafe = [r for r in records if r["roots"] and not r["has_forward"]]
    lost = [r for r in records if r["findings"] and not r["has_forward"]]
    out.write("\ncandidate prefilter: also require r'\\bdef[\\s\\\\]+forward\\b' in the text\n")
    block("parsed today, rejected by it", forwardless)
    out.write(f"  files with roots it would reject: {len(unsafe)}; files with findings it would reject: {len(lost)}\n")
    out.write(f"  cost of the test: {sum(r['forward_test'] for r in records):.3f} s for all files\n")

    # Candidate: CPython's ast as a cheap pre-pass.
    ast_all = sum(r["ast"] for r in records)
    ast_parsed = sum(r["ast"] for r in parsed)
    cst_parsed = sum(r["stages"].get("parse", 0.0) for r in parsed)
    out.write("\ncandidate pre-pass: ast.parse (C) of the same files\n")
    out.write(f"  all files {ast_all:.2f} s; the files exportlint parses {ast_parsed:.2f} s "
              f"vs libcst.parse_module {cst_parsed:.2f} s ({cst_parsed / ast_parsed if ast_parsed else 0:.1f}x)\n")
    if no_roots:
        saved = sum(r["stages"].get("parse", 0.0) + r["stages"].get("model map", 0.0) for r in no_roots)
        cost = sum(r["ast"] for r in parsed)
        out.write(f"  deciding 'no root' with ast instead of libcst: saves {saved:.2f} s of libcst work on "
                  f"{len(no_roots)} files, costs {cost:.2f} s of ast on all {len(parsed)} parsed files\n")

    out.write("\nslowest files\n")
    for r in sorted(records, key=lambda r: r["total"], reverse=True)[:10]:
        parts = ", ".join(f"{k} {v:.2f}" for k, v in r["stages"].items() if v >= 0.005)
        out.write(f"  {r['total']:6.2f} s {r['lines']:6d} lines roots={r['roots']} findings={r['findings']}  "
                  f"{os.path.relpath(r['path'])}  ({parts})\n")
    return out.getvalue()


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="profile this directory instead of transformers/models")
    parser.add_argument("--version", default=bench.DEFAULT_VERSION, help="transformers release")
    parser.add_argument("--quick", action="store_true", help=f"every {bench.QUICK_STEP}th file (sorted) only")
    parser.add_argument("--work", type=Path, default=bench.DEFAULT_WORK)
    parser.add_argument("--cprofile", type=Path, help="also write a cProfile of the lint calls here")
    parser.add_argument("--top", type=int, default=30, help="cProfile rows to print")
    parser.add_argument("--json", type=Path, help="write the per-file records here")
    args = parser.parse_args(argv)

    work = args.work.resolve()
    if args.corpus is not None:
        corpus = args.corpus.resolve()
    else:
        corpus, _, note = bench.fetch_corpus(work, args.version)
        if note:
            print(f"NOTE: {note}", file=sys.stderr)
    target = bench.quick_subset(corpus, work, bench.QUICK_STEP) if args.quick else corpus
    files = bench.discover_files(target)

    from exportlint.config import build_settings

    settings = build_settings({})
    stages = Stages()
    missing = instrument(stages)
    profiler = cProfile.Profile() if args.cprofile else None
    records = profile(files, settings, stages, profiler)
    print(f"{bench.revision()}; corpus {target}")
    print(report(records, missing))
    if profiler is not None:
        profiler.dump_stats(str(args.cprofile))
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).strip_dirs()
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
        print(stream.getvalue())
    if args.json:
        args.json.write_text(json.dumps(records, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
