"""``exportlint verify``: run the catalog on the installed torch and say what
each rule is worth there. The only command that runs code, and only the
project's own cases."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional, Sequence

from exportlint.target import installed_torch


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="exportlint verify", description=__doc__)
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--mode", choices=("strict", "non-strict", "both"), default="both")
    args = parser.parse_args(argv)

    version = installed_torch()
    if version is None:
        sys.stderr.write("exportlint verify needs torch: install it (e.g. pip install torch) and run again.\n")
        return 2
    try:
        from exportlint.measure import measure
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
    rows: List[tuple] = []
    runs = [(case, mode, fixed) for case in chosen for mode in modes for fixed in (False, True)
            if not fixed or case.fixed]
    for done, (case, mode, fixed) in enumerate(runs, start=1):
        label = f"{case.name} (rewrite)" if fixed else case.name
        sys.stderr.write(f"\r[{done}/{len(runs)}] {label} ({mode})".ljust(70))
        sys.stderr.flush()
        expected = case.outcome(version, mode, fixed=fixed)
        measured = measure(case, strict=(mode == "strict"), fixed=fixed)
        agrees, why = measured.agrees_with(expected)
        rules = "-" if fixed else (",".join(case.rules) or "-")
        rows.append((label, rules, mode, expected.result if expected else "?", measured.result, agrees, why))
    sys.stderr.write("\r".ljust(71) + "\r")
    _print_table(rows, version)
    disagreements = [r for r in rows if not r[5]]
    for name, _, mode, _, _, _, why in disagreements:
        sys.stdout.write(f"DISAGREES {name} ({mode}): {why}\n")
    sys.stdout.write(f"torch {version}: {len(rows) - len(disagreements)} agree, {len(disagreements)} disagree\n")
    return 1 if disagreements else 0


def _print_table(rows, version) -> None:
    header = ("case", "rule", "mode", "expected", "measured", "agrees")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(5)]
    line = "  ".join(h.ljust(w) for h, w in zip(header[:5], widths)) + "  agrees"
    sys.stdout.write(f"# exportlint verify on torch {version}\n{line}\n")
    for row in rows:
        cells = "  ".join(str(c).ljust(w) for c, w in zip(row[:5], widths))
        sys.stdout.write(f"{cells}  {'yes' if row[5] else 'NO'}\n")
