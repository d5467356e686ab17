"""Score exportlint on the held-out recall set: per family and export mode,
how many failing (and specialising) models it flags on the right line, and
how many models that export cleanly it gives an EXP1xx.

    python tests/recall/score.py          # prints the table

A failing model is flagged when some finding sits on the line export failed
at (measured) or on a `# recall:` marker line; a specialising model when some
finding sits on a marker line. Only linting happens here; measure.py exports.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

HERE = Path(__file__).resolve().parent
MODELS = HERE / "models"
MEASURED = HERE / "measured.json"
MODES = ("strict", "non-strict")
RESULTS = ("exports", "fails", "specializes")

# `# recall: fails`, `# recall: fails non-strict`, `# recall: fails strict, specializes non-strict`
_MARKER = re.compile(r"#\s*recall:\s*(?P<items>[a-z, -]+?)\s*$")


def markers(text: str) -> Dict[int, Dict[str, str]]:
    """Line -> {mode: result} for every `# recall:` marker; a result without a mode means both."""
    found: Dict[int, Dict[str, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _MARKER.search(line)
        if not match:
            continue
        per_mode: Dict[str, str] = {}
        for item in match.group("items").split(","):
            words = item.split()
            bad_mode = len(words) == 2 and words[1] not in MODES
            if not words or words[0] not in RESULTS[1:] or len(words) > 2 or bad_mode:
                raise ValueError(f"line {number}: bad recall marker {item.strip()!r}")
            for mode in (words[1:] or MODES):
                per_mode[mode] = words[0]
        found[number] = per_mode
    return found


def expected_results(text: str) -> Dict[str, str]:
    """Mode -> what the markers say export does (exports where no marker speaks)."""
    results = {mode: "exports" for mode in MODES}
    for per_mode in markers(text).values():
        for mode, result in per_mode.items():
            results[mode] = result
    return results


def family(name: str) -> str:
    return name.split("_", 1)[0]


@dataclass
class Tally:
    failing: int = 0
    failing_flagged: int = 0
    specializing: int = 0
    specializing_flagged: int = 0
    clean: int = 0
    clean_errors: int = 0  # clean models given an EXP1xx
    missed: List[str] = field(default_factory=list)
    false_alarms: List[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("failing", "failing_flagged", "specializing", "specializing_flagged", "clean", "clean_errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed += other.missed
        self.false_alarms += other.false_alarms


def target_version(measured: dict) -> str:
    """The torch release the set was measured on, without a local tag: '2.13.0'."""
    return measured["torch"].split("+")[0]


def lint(path: Path, version: str, mode: str):
    from exportlint.config import build_settings
    from exportlint.engine import lint_text

    settings = build_settings({"target-torch": version, "strict": mode == "strict"})
    return lint_text(path.read_text(encoding="utf-8"), str(path), settings)


def score(measured: dict, only: Optional[Set[str]] = None) -> Dict[Tuple[str, str], Tally]:
    """(family, mode) -> Tally, over the measured models (optionally only some)."""
    version = target_version(measured)
    tallies: Dict[Tuple[str, str], Tally] = {}
    for name, record in sorted(measured["models"].items()):
        if only is not None and name not in only:
            continue
        path = MODELS / f"{name}.py"
        marks = markers(path.read_text(encoding="utf-8"))
        for mode in MODES:
            tally = tallies.setdefault((family(name), mode), Tally())
            outcome = record[mode]
            found = lint(path, version, mode)
            lines = {d.line for d in found}
            marked = {line for line, per_mode in marks.items() if mode in per_mode}
            if outcome["result"] == "fails":
                tally.failing += 1
                wanted = marked | ({outcome["line"]} if outcome.get("line") else set())
                if lines & wanted:
                    tally.failing_flagged += 1
                else:
                    tally.missed.append(name)
            elif outcome["result"] == "specializes":
                tally.specializing += 1
                if lines & marked:
                    tally.specializing_flagged += 1
                else:
                    tally.missed.append(name)
            elif outcome["result"] == "exports":
                tally.clean += 1
                errors = sorted({d.code for d in found if d.code.startswith("EXP1")})
                if errors:
                    tally.clean_errors += 1
                    tally.false_alarms.append(f"{name} ({', '.join(errors)})")
    return tallies


def totals(tallies: Dict[Tuple[str, str], Tally]) -> Dict[str, Tally]:
    """mode -> Tally over every family."""
    out = {mode: Tally() for mode in MODES}
    for (_, mode), tally in tallies.items():
        out[mode].add(tally)
    return out


def _ratio(hit: int, total: int) -> str:
    return f"{hit}/{total}" + (f" ({100 * hit / total:.0f}%)" if total else "")


def table(tallies: Dict[Tuple[str, str], Tally]) -> str:
    rows = ["family  mode        fails flagged    specializes flagged   clean given EXP1xx"]
    keyed = dict(tallies)
    for mode, tally in totals(tallies).items():
        keyed[("all", mode)] = tally
    for (fam, mode), t in sorted(keyed.items(), key=lambda kv: (kv[0][0] == "all", kv[0])):
        rows.append(
            f"{fam:7} {mode:11} {_ratio(t.failing_flagged, t.failing):16} "
            f"{_ratio(t.specializing_flagged, t.specializing):21} {_ratio(t.clean_errors, t.clean)}"
        )
    for (fam, mode), t in sorted(tallies.items()):
        if t.missed:
            rows.append(f"missed {fam} {mode}: {', '.join(t.missed)}")
        if t.false_alarms:
            rows.append(f"false alarms {fam} {mode}: {', '.join(t.false_alarms)}")
    return "\n".join(rows)


def main() -> int:
    measured = json.loads(MEASURED.read_text())
    print(f"recall set measured on torch {measured['torch']}")
    print(table(score(measured)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
