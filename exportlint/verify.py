"""``exportlint verify``: run the catalog on the installed torch and say what
each rule is worth there. The only command that runs code, and only the
project's own cases."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from typing import List, Optional, Sequence

from exportlint.target import installed_torch


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="exportlint verify", description=__doc__)
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--mode", choices=("strict", "non-strict", "both"), default="both")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="json: one object with the torch release and a row per case, variant and mode")
    args = parser.parse_args(argv)

    version = installed_torch()
    if version is None:
        sys.stderr.write("exportlint verify needs torch: install it (e.g. pip install torch) and run again.\n")
        return 2
    try:
        import exportlint.measure  # noqa: F401  (imports torch)
    except ImportError as exc:  # torch metadata present but import broken
        sys.stderr.write(f"exportlint verify: cannot import torch: {exc}\n")
        return 2
    from exportlint.cases import all_cases

    cases = all_cases()
    unknown = [n for n in args.cases if n not in cases]
    if unknown:
        sys.stderr.write(f"exportlint verify: unknown case(s): {', '.join(unknown)}\n")
        return 2
    chosen = [cases[n] for n in (args.cases or cases)]
    modes = ("strict", "non-strict") if args.mode == "both" else (args.mode,)
    runs = [(case, mode, form) for case in chosen for mode in modes for form in case.forms()]
    with _stdout_to_stderr():
        rows = _measure_all(runs, version)
    disagreements = [r for r in rows if not r["agrees"]]
    if args.format == "json":
        json.dump({"torch": str(version), "rows": rows,
                   "agree": len(rows) - len(disagreements), "disagree": len(disagreements)},
                  sys.stdout, indent=1)
        sys.stdout.write("\n")
        return 1 if disagreements else 0
    _print_table(rows, version)
    for row in disagreements:
        sys.stdout.write(f"DISAGREES {_label(row)} ({row['mode']}): {row['why']}\n")
    sys.stdout.write(f"torch {version}: {len(rows) - len(disagreements)} agree, {len(disagreements)} disagree\n")
    return 1 if disagreements else 0


def _measure_all(runs, version) -> List[dict]:
    from exportlint.measure import measure

    rows: List[dict] = []
    for done, (case, mode, form) in enumerate(runs, start=1):
        sys.stderr.write(f"\r[{done}/{len(runs)}] {_label(dict(case=case.name, variant=form))} ({mode})".ljust(70))
        sys.stderr.flush()
        fixed = form == "fixed"
        variant = next((v for v in case.variants if form == f"shapes={v.label}"), None)
        expected = variant.outcome(version, mode) if variant else case.outcome(version, mode, fixed=fixed)
        measured = measure(case, strict=(mode == "strict"), fixed=fixed, variant=variant)
        agrees, why = measured.agrees_with(expected)
        rows.append({
            "case": case.name, "variant": form, "mode": mode,
            "rules": list(case.rules) if form != "fixed" else [],
            "expected": expected.result if expected else None,
            "result": measured.result, "error": measured.error, "message": measured.message,
            "agrees": agrees, "why": why,
        })
    sys.stderr.write("\r".ljust(71) + "\r")
    return rows


@contextlib.contextmanager
def _stdout_to_stderr():
    """Whatever torch or a case writes to file descriptor 1 while measuring (C++
    prints included) goes to stderr: stdout carries only verify's report."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _label(row: dict) -> str:
    if row["variant"] == "fixed":
        return f"{row['case']} (rewrite)"
    if row["variant"] != "bad":
        return f"{row['case']} ({row['variant']})"
    return row["case"]


def _print_table(rows: List[dict], version) -> None:
    header = ("case", "rule", "mode", "expected", "measured")
    cells = [(_label(r), ",".join(r["rules"]) or "-", r["mode"], r["expected"] or "?", r["result"]) for r in rows]
    widths = [max(len(str(c[i])) for c in cells + [header]) for i in range(5)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths)) + "  agrees"
    sys.stdout.write(f"# exportlint verify on torch {version}\n{line}\n")
    for row, cell in zip(rows, cells):
        text = "  ".join(str(c).ljust(w) for c, w in zip(cell, widths))
        sys.stdout.write(f"{text}  {'yes' if row['agrees'] else 'NO'}\n")
