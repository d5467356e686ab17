"""Recall of an exportlint report against the real-model export measurement.

    python bench/real_models_recall.py bench/real_models.json REPORT.json --corpus DIR

REPORT.json is `exportlint --format json --exit-zero DIR/transformers/models` (any
exportlint version: only the JSON fields path, line, end_line, code, message are
read); --strict-report takes a second one, made with --strict, for the strict
runs. DIR/transformers is the unpacked transformers package the measurement
used (same release); it gives the source lines printed for the sample and
resolves relative report paths. Needs only the standard library.

Prints the failing runs with their blamed and origin lines, whether a finding
covers each (same file; the line inside the finding's line span, and
separately within +-2 lines of it), recall per export setting; then the runs
that export with Dim.AUTO but whose program rejects (or computes otherwise)
sizes eager accepts, with the lines whose guards reject them; and a fixed-seed
random sample of the findings in the modeling files of the models that export
in every setting and keep other sizes, for a person to read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

TOLERANCE = 2


def package_path(path: str, package: Optional[Path]) -> Optional[str]:
    """A report path as a path inside the transformers package (models/llama/modeling_llama.py)."""
    norm = path.replace("\\", "/")
    idx = norm.rfind("transformers/models/")
    if idx >= 0:
        return norm[idx + len("transformers/"):]
    if package is not None:
        rel = os.path.relpath(os.path.abspath(path), package)
        if not rel.startswith(".."):
            return rel.replace(os.sep, "/")
    return None


def load_findings(report: Path, package: Optional[Path]) -> Dict[str, List[dict]]:
    by_file: Dict[str, List[dict]] = defaultdict(list)
    unplaced = 0
    for d in json.loads(report.read_text(encoding="utf-8")):
        rel = package_path(d["path"], package)
        if rel is None:
            unplaced += 1
            continue
        line = int(d["line"])
        end = int(d.get("end_line") or line)
        by_file[rel].append(dict(d, rel=rel, line=line, end_line=max(end, line)))
    if unplaced:
        print(f"note: {unplaced} findings outside a transformers package path were ignored", file=sys.stderr)
    return by_file


def covering(findings: Dict[str, List[dict]], where: Optional[dict], tol: int) -> List[dict]:
    if not where or not where.get("file") or not where.get("line"):
        return []
    line = int(where["line"])
    return [f for f in findings.get(where["file"], []) if f["line"] - tol <= line <= f["end_line"] + tol]


def _loc(where: Optional[dict]) -> str:
    if not where or not where.get("file"):
        return "unknown"
    return f"{where['file']}:{where['line']}"


def failing_runs(runs: Sequence[dict]) -> List[dict]:
    return [r for r in runs if r.get("status") == "fails"]


def score(runs: Sequence[dict], findings: Dict[str, List[dict]],
          strict_findings: Optional[Dict[str, List[dict]]] = None) -> List[dict]:
    """Strict runs are scored against strict_findings when given (a report made with --strict)."""
    scored = []
    default = findings
    for r in failing_runs(runs):
        findings = strict_findings if (strict_findings is not None and r["setting"] == "strict") else default
        origin = r.get("origin") if (r.get("origin") or {}).get("file") else None
        row = {"run": r, "origin": origin}
        for tol, tag in ((0, "exact"), (TOLERANCE, "near")):
            blamed_hit = covering(findings, r.get("blamed"), tol)
            origin_hit = covering(findings, origin, tol)
            row[tag] = {"blamed": blamed_hit, "origin": origin_hit, "any": bool(blamed_hit or origin_hit)}
        row["in_models"] = bool(r.get("blamed") and str(r["blamed"].get("file", "")).startswith("models/")) or bool(
            origin and str(origin.get("file", "")).startswith("models/"))
        scored.append(row)
    return scored


def _pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100.0 * n / d:.0f}%)" if d else "0/0"


def recall_table(scored: List[dict], settings: Sequence[str]) -> List[str]:
    out = ["| setting | failing runs | blamed in models/ | flagged (exact) | flagged (+-2) | "
           "flagged, in models/ (exact) | flagged, in models/ (+-2) |",
           "|---|---|---|---|---|---|---|"]
    for setting in list(settings) + ["all"]:
        rows = [s for s in scored if setting == "all" or s["run"]["setting"] == setting]
        inm = [s for s in rows if s["in_models"]]
        out.append(f"| {setting} | {len(rows)} | {len(inm)} | "
                   f"{_pct(sum(s['exact']['any'] for s in rows), len(rows))} | "
                   f"{_pct(sum(s['near']['any'] for s in rows), len(rows))} | "
                   f"{_pct(sum(s['exact']['any'] for s in inm), len(inm))} | "
                   f"{_pct(sum(s['near']['any'] for s in inm), len(inm))} |")
    return out


def distinct_lines(scored: List[dict]) -> Tuple[int, int, int]:
    """(distinct failing locations, flagged exact, flagged +-2): one location per blamed/origin pair."""
    seen: Dict[Tuple[str, str], dict] = {}
    for s in scored:
        seen.setdefault((_loc(s["run"].get("blamed")), _loc(s["origin"])), s)
    return len(seen), sum(s["exact"]["any"] for s in seen.values()), sum(s["near"]["any"] for s in seen.values())


def _codes(hits: List[dict]) -> str:
    return ",".join(sorted({f"{h['code']}@{h['line']}" for h in hits})) or "-"


def source_line(package: Optional[Path], rel: str, line: int) -> str:
    if package is None:
        return ""
    try:
        lines = (package / rel).read_text(encoding="utf-8").splitlines()
        return lines[line - 1].strip() if 0 < line <= len(lines) else ""
    except OSError:
        return ""


def lost_sizes(run: dict) -> List[dict]:
    """The other sizes an exported program rejects or computes otherwise than eager (bench/real_models.py)."""
    return [o for o in run.get("other_sizes") or () if o.get("result") in ("rejected", "differs")]


def specialising_runs(runs: Sequence[dict], findings: Dict[str, List[dict]]) -> List[dict]:
    """Runs that export but lose sizes, each with the guard lines blamed and whether a finding covers one."""
    scored = []
    for r in runs:
        lost = lost_sizes(r) if r.get("status") == "exports" else []
        if not lost:
            continue
        blamed = []
        for o in lost:
            blamed += [b for b in o.get("blamed") or () if b not in blamed]
        row = {"run": r, "lost": lost, "blamed": blamed,
               "in_models": any(str(b.get("file", "")).startswith("models/") for b in blamed)}
        for tol, tag in ((0, "exact"), (TOLERANCE, "near")):
            row[tag] = [h for b in blamed for h in covering(findings, b, tol)]
        scored.append(row)
    return scored


def _flagged(rows: List[dict]) -> str:
    return (f"exact {_pct(sum(bool(s['exact']) for s in rows), len(rows))}, "
            f"+-2 {_pct(sum(bool(s['near']) for s in rows), len(rows))}")


def clean_model_files(runs: Sequence[dict]) -> Dict[str, str]:
    """Modeling file -> architecture, for architectures that exported in every setting measured
    and whose Dim.AUTO program kept the other sizes tried."""
    by_arch: Dict[str, List[dict]] = defaultdict(list)
    for r in runs:
        by_arch[r["arch"]].append(r)
    files = {}
    for arch, rows in by_arch.items():
        if rows and all(r.get("status") == "exports" and not lost_sizes(r) for r in rows):
            for r in rows:
                if r.get("model_file"):
                    files[r["model_file"]] = arch
    return files


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("measurement", type=Path, help="bench/real_models.json")
    parser.add_argument("report", type=Path, help="exportlint --format json output on transformers/models")
    parser.add_argument("--strict-report", type=Path,
                        help="a second report made with --strict, to score the strict runs against")
    parser.add_argument("--corpus", type=Path,
                        help="the transformers package directory (holds models/), for source lines")
    parser.add_argument("--sample", type=int, default=30, help="findings to sample from clean models (30)")
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--json", type=Path, help="also write the scores here")
    args = parser.parse_args(argv)

    package = args.corpus.resolve() if args.corpus else None
    if package is not None and package.name == "models":
        package = package.parent
    data = json.loads(args.measurement.read_text(encoding="utf-8"))
    runs = data["runs"]
    settings = list(data.get("settings") or sorted({r["setting"] for r in runs}))
    findings = load_findings(args.report, package)
    total = sum(len(v) for v in findings.values())

    print(f"measurement: {args.measurement} ({data.get('date')}, {data.get('versions')})")
    print(f"report: {args.report}: {total} findings in {len(findings)} files")
    statuses: Dict[str, int] = defaultdict(int)
    for r in runs:
        statuses[r.get("status", "?")] += 1
    print(f"runs: {len(runs)} ({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}) "
          f"over {len({r['arch'] for r in runs})} architectures")
    not_measured = [f"{r['arch']}/{r['setting']}: {r['status']}" for r in runs
                    if r.get("status") not in ("exports", "fails")]
    if not_measured:
        print("not measured (no export outcome): " + "; ".join(not_measured))

    strict_findings = load_findings(args.strict_report, package) if args.strict_report else None
    if strict_findings is not None:
        print(f"strict report: {args.strict_report}: {sum(len(v) for v in strict_findings.values())} findings "
              "(scores the strict runs)")
    scored = score(runs, findings, strict_findings)
    print("\n## Failing runs\n")
    print("| arch | setting | error | blamed | origin | flagged exact | flagged +-2 |")
    print("|---|---|---|---|---|---|---|")
    for s in scored:
        r = s["run"]
        err = r.get("error_class", "").rsplit(".", 1)[-1]
        origin = _loc(s["origin"]) if s["origin"] else ("unknown" if r.get("data_dependent") else "-")
        print(f"| {r['arch']} | {r['setting']} | {err} | {_loc(r.get('blamed'))} | {origin} | "
              f"{_codes(s['exact']['blamed'] + s['exact']['origin'])} | "
              f"{_codes(s['near']['blamed'] + s['near']['origin'])} |")

    print("\n## Recall: failing runs whose blamed or origin line a finding covers\n")
    print("\n".join(recall_table(scored, settings)))
    n, exact, near = distinct_lines(scored)
    print(f"\ndistinct (blamed, origin) locations: {n}; flagged exact {_pct(exact, n)}, +-2 {_pct(near, n)}")

    special = specialising_runs(runs, findings)
    print("\n## Runs that export but whose program loses sizes eager accepts (other sizes tried after a Dim.AUTO "
          "export)\n")
    print("| arch | setting | sizes lost | how | guard lines (innermost transformers frame) | flagged exact | "
          "flagged +-2 |")
    print("|---|---|---|---|---|---|---|")
    for s in special:
        r = s["run"]
        sizes = "; ".join(",".join(f"{d}={n}" for d, n in o["sizes"].items()) for o in s["lost"])
        how = ", ".join(sorted({o["result"] for o in s["lost"]}))
        lines = ", ".join(_loc(b) for b in s["blamed"]) or "unknown"
        print(f"| {r['arch']} | {r['setting']} | {sizes} | {how} | {lines} | {_codes(s['exact'])} | "
              f"{_codes(s['near'])} |")
    inm = [s for s in special if s["in_models"]]
    print(f"\nflagged: {_flagged(special)}; with a guard line in models/: {_flagged(inm)}")

    clean = clean_model_files(runs)
    pool = [f for rel in sorted(clean) for f in sorted(findings.get(rel, []), key=lambda f: (f["line"], f["code"]))]
    print(f"\n## Findings in the modeling files of the {len({*clean.values()})} architectures that export "
          f"in every setting and keep other sizes: {len(pool)} in {len(clean)} files\n")
    sample = random.Random(args.seed).sample(pool, min(args.sample, len(pool)))
    sample.sort(key=lambda f: (f["rel"], f["line"]))
    for i, f in enumerate(sample, 1):
        print(f"{i:2d}. [{clean[f['rel']]}] {f['rel']}:{f['line']} {f['code']} {f['message']}")
        src = source_line(package, f["rel"], f["line"])
        if src:
            print(f"      {src}")

    if args.json:
        out = {"failing": [{"arch": s["run"]["arch"], "setting": s["run"]["setting"],
                            "blamed": _loc(s["run"].get("blamed")), "origin": _loc(s["origin"]),
                            "exact": s["exact"]["any"], "near": s["near"]["any"]} for s in scored],
               "specialising": [{"arch": s["run"]["arch"], "blamed": [_loc(b) for b in s["blamed"]],
                                 "exact": bool(s["exact"]), "near": bool(s["near"])} for s in special],
               "sample": [{k: f[k] for k in ("rel", "line", "code", "message")} for f in sample]}
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
