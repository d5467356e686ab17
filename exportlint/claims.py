"""A rule's claim for a torch release and mode, derived from its cases.

The claim is never written by hand: it is the strongest measured outcome of the
forms of its cases the rule speaks of (fails > specializes > exports), on the
release that speaks for the target. fails is an error quoting the measured
error class and message, specializes a warning, exports silence. When those
forms disagree the message says "in some forms", and what the others do when
they specialise (a failure with a named Dim that is a baked-in value elsewhere). A form the sweep has not
measured on that release speaks through the case's hand-written Outcome rows.

The forms a rule speaks of: the variants of its case (the bad model exported
with other dynamic shapes) whose expected codes hold the rule's code, e.g. the
named-Dim variant for EXP130; the bad model as the case declares it when no
variant names the rule.
"""

from __future__ import annotations

import importlib
from typing import Dict, List, Optional, Tuple

from packaging.version import Version

from exportlint.cases._case import EXPORTS, FAILS, SPECIALIZES, STRENGTH, Case, Outcome
from exportlint.rule import Behaviour, RuleMeta

_CACHE: Dict[Tuple[str, Version, str], Optional[Behaviour]] = {}


def load_case(name: str) -> Case:
    """One case module, not the whole catalog: linting pays only for its rules' cases."""
    return importlib.import_module(f"exportlint.cases.{name}").CASE


def rule_forms(meta: RuleMeta) -> List[Tuple[str, str]]:
    """(case, form) pairs whose outcomes are the rule's claims."""
    pairs = []
    for name in meta.cases:
        case = load_case(name)
        named = [f"shapes={v.label}" for v in case.variants if meta.code in v.expect + v.expect_at_site]
        pairs += [(name, form) for form in named or ["bad"]]
    return pairs


def form_label(case: str, form: str) -> str:
    return case if form == "bad" else f"{case} ({form})"


def case_outcomes(meta: RuleMeta, torch: Version, mode: str) -> List[Tuple[str, Optional[Outcome]]]:
    return [(form_label(name, form), load_case(name).form_outcome(torch, mode, form))
            for name, form in rule_forms(meta)]


def rule_behaviour(meta: RuleMeta, torch: Version, mode: str) -> Optional[Behaviour]:
    key = (meta.code, torch, mode)
    if key not in _CACHE:
        _CACHE[key] = _derive(meta, torch, mode)
    return _CACHE[key]


def _derive(meta: RuleMeta, torch: Version, mode: str) -> Optional[Behaviour]:
    outcomes = [(n, o) for n, o in case_outcomes(meta, torch, mode) if o is not None and o.result in STRENGTH]
    if not outcomes:
        return None
    strongest = max(STRENGTH[o.result] for _, o in outcomes)
    winners = [(n, o) for n, o in outcomes if STRENGTH[o.result] == strongest]
    name, outcome = winners[0]
    if outcome.result == EXPORTS:
        return None
    some_forms = len(winners) < len(outcomes)
    where = " in some forms" if some_forms else ""
    if outcome.result == FAILS:
        errors = []
        for _, o in winners:
            said = o.match or o.note  # a fragment the catalog does not check is still what was measured
            if o.error and said:
                detail = f"{o.error}: \"{said}\""
            else:
                detail = o.error or (f"\"{said}\"" if said else "")
            if detail and detail not in errors:
                errors.append(detail)
        when = f" {meta.fails_when}" if meta.fails_when else ""
        effect = f"fails{when}{where}" + (f" ({'; '.join(errors)})" if errors else "")
        if any(o.result == SPECIALIZES for _, o in outcomes):  # the other forms do not just export: say so
            effect += f", and in others {meta.specializes}"
    else:
        effect = meta.specializes + (" (in some forms)" if some_forms else "")
    release = Version(outcome.measured_on) if outcome.measured_on and outcome.versions.startswith("==") else None
    return Behaviour(outcome.result, effect, mode, release, some_forms, tuple(n for n, _ in winners))
