"""What a case is: a model export mishandles, its rewrite, and what export does.

Cases hold their models as source text, so the linter can read them like any
user file and the tests can execute them; importing a case never imports torch.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from exportlint import measured
from exportlint.rule import BOTH_MODES

EXPORTS = "exports"
FAILS = "fails"
SPECIALIZES = "specializes"  # exports, but bakes in a value, drops an effect, or rejects other inputs
CRASHED = "crashed"  # could not be measured on that release (e.g. the case uses an API it lacks)
STRENGTH = {EXPORTS: 0, SPECIALIZES: 1, FAILS: 2}  # CRASHED is no claim at all

_EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>EXP\d{3}(?:\s*,\s*EXP\d{3})*)")


@dataclass(frozen=True)
class Outcome:
    """What export does with one model on some torch releases and modes."""

    result: str
    versions: str = ""  # PEP 440 specifier over torch releases; "" = every release
    modes: Tuple[str, ...] = BOTH_MODES
    error: str = ""  # exception class name, for FAILS
    match: str = ""  # fragment of the error message, for FAILS
    note: str = ""  # what is specialised, or where the claim comes from
    measured_on: str = ""  # torch releases this row was measured on, e.g. "2.13.0"

    def applies(self, torch: Version, mode: str) -> bool:
        return mode in self.modes and SpecifierSet(self.versions).contains(torch, prereleases=True)

    def describe(self) -> str:
        where = f"torch {self.versions or 'all'} {'/'.join(self.modes)}"
        detail = f" {self.error}: {self.match}" if self.result == FAILS and self.error else ""
        note = f" ({self.note})" if self.note else ""
        return f"{where}: {self.result}{detail}{note}"


@dataclass(frozen=True)
class Variant:
    """The bad model exported with other dynamic shapes (no dynamic shapes, Dim.AUTO, ...).

    ``expect``: the codes the linter reports at the ``# expect:`` lines when the
    model is exported this way (the tests add the export call to the source).
    ``other_inputs`` defaults to none: a static export accepts only the example's shapes.
    """

    label: str
    dynamic_shapes: Optional[str]
    outcomes: Tuple[Outcome, ...]
    expect: Tuple[str, ...] = ()
    other_inputs: Optional[str] = None
    expect_at_site: Tuple[str, ...] = ()  # codes reported at the export call itself (its example inputs)

    def outcome(self, torch: Version, mode: str) -> Optional[Outcome]:
        for outcome in self.outcomes:
            if outcome.applies(torch, mode):
                return outcome
        return None


@dataclass(frozen=True)
class Case:
    """One catalog entry. Sources define ``class Model(torch.nn.Module)``;
    ``inputs``/``other_inputs``/``dynamic_shapes`` are Python expressions
    evaluated with ``torch`` and ``Dim`` in scope. Lines of ``bad`` ending in
    ``# expect: EXPnnn`` are where the linked rule reports."""

    name: str
    summary: str
    bad: str
    inputs: str
    bad_outcomes: Tuple[Outcome, ...]
    fixed: Optional[str] = None
    other_inputs: Optional[str] = None
    dynamic_shapes: Optional[str] = None
    fixed_dynamic_shapes: Optional[str] = None  # default: dynamic_shapes
    fixed_outcomes: Tuple[Outcome, ...] = (Outcome(EXPORTS),)
    fixed_inputs: Optional[str] = None  # default: inputs
    kwargs: Optional[str] = None  # keyword inputs (a dict expression), for bad and fixed
    other_kwargs: Optional[str] = None  # default: kwargs
    fixed_other_inputs: Optional[str] = None  # default: other_inputs
    rules: Tuple[str, ...] = ()
    exportdb: str = ""  # the ExportDB example this case is modelled on, if any
    graph_break: str = ""  # dynamo graph-break id of the strict failure
    # Name of a function in ``bad`` called as f(eager_model, exported_module,
    # inputs, other_inputs) -> bool, True when the export diverged from eager in
    # a way outputs alone do not show (a dropped side effect).
    divergence_probe: str = ""
    variants: Tuple[Variant, ...] = ()
    # Codes reported at the marked lines when no export call is in sight (None: every marked code);
    # the variants say what is reported when the call is there.
    expect_without_site: Optional[Tuple[str, ...]] = None

    def outcome(self, torch: Version, mode: str, fixed: bool = False) -> Optional[Outcome]:
        """What export does with the bad model (or the rewrite) on ``torch`` in ``mode``."""
        return self.form_outcome(torch, mode, "fixed" if fixed else "bad")

    def form_outcome(self, torch: Version, mode: str, form: str) -> Optional[Outcome]:
        """The measured row of the data file (the release that speaks for
        ``torch``) when the sweep measured this form there, else the case's
        hand-written rows."""
        return self.measured_outcome(torch, mode, form) or self.hand_outcome(torch, mode, form)

    def hand_outcome(self, torch: Version, mode: str, form: str = "bad") -> Optional[Outcome]:
        variant = self.variant(form)
        if variant is not None:
            return variant.outcome(torch, mode)
        for outcome in self.fixed_outcomes if form == "fixed" else self.bad_outcomes:
            if outcome.applies(torch, mode):
                return outcome
        return None

    def variant(self, form: str) -> Optional[Variant]:
        return next((v for v in self.variants if form == f"shapes={v.label}"), None)

    def measured_outcome(self, torch: Version, mode: str, form: str = "bad") -> Optional[Outcome]:
        release, _ = measured.release_for(torch)
        if release is None:
            return None
        found = measured.row(release, self.name, form, mode)
        if found is None:
            return None
        result, error, message = found["result"], found.get("error", ""), found.get("message", "")
        if result != FAILS:
            return Outcome(result, versions=f"=={release}", modes=(mode,), note=message, measured_on=str(release))
        fragment = self.fragment(message)
        stable = self._message_is_stable(form, mode)  # else the fragment is said, not checked
        return Outcome(FAILS, versions=f"=={release}", modes=(mode,), error=error, match=fragment if stable else "",
                       note="" if stable else fragment, measured_on=str(release))

    def _message_is_stable(self, form: str, mode: str) -> bool:
        """False when the case's hand rows for this form and mode name the error
        class but no message fragment: the author found the message varies
        between runs (e.g. which of two dynamo skips is hit first)."""
        variant = self.variant(form)
        rows = variant.outcomes if variant else (self.fixed_outcomes if form == "fixed" else self.bad_outcomes)
        failing = [o for o in rows if o.result == FAILS and mode in o.modes]
        return not failing or any(o.match for o in failing)

    def fragment(self, message: str) -> str:
        """A short, stable part of a measured error message: a hand row's curated
        fragment when the message holds it, else the message's first clause."""
        rows = self.bad_outcomes + self.fixed_outcomes + tuple(o for v in self.variants for o in v.outcomes)
        for outcome in rows:
            if outcome.match and outcome.match in message:
                return outcome.match
        return first_clause(message)

    def expected_findings(self, only: Optional[Tuple[str, ...]] = None) -> Dict[int, List[str]]:
        """Line -> codes marked with ``# expect:`` in the bad source (those in ``only``, if given)."""
        if only is None:
            only = self.expect_without_site
        marks: Dict[int, List[str]] = {}
        for number, line in enumerate(self.bad.splitlines(), start=1):
            match = _EXPECT.search(line)
            if match:
                codes = [c.strip() for c in match.group("codes").split(",")]
                codes = [c for c in codes if only is None or c in only]
                if codes:
                    marks[number] = codes
        return marks

    def with_site(self, source: str, dynamic_shapes: Optional[str], inputs: Optional[str] = None) -> str:
        """The source with the export call the tests make, for the linter to read."""
        call = f"torch.export.export(Model(), {inputs or self.inputs}, dynamic_shapes={dynamic_shapes or 'None'})"
        return f"{source}\n\nfrom torch.export import Dim  # noqa: E402\n\nif __name__ == \"__main__\":\n    {call}\n"

    def forms(self) -> Tuple[str, ...]:
        """The models this case measures: the bad one, its rewrite, and the bad
        one under each variant's dynamic shapes (``shapes=<label>``)."""
        return (("bad",) + (("fixed",) if self.fixed else ())
                + tuple(f"shapes={v.label}" for v in self.variants))

    def fingerprint(self, form: str) -> str:
        """What a measurement of ``form`` depends on (sources, inputs, shapes),
        hashed: the release sweep measures a case again when this changes."""
        if form == "fixed":
            parts = [self.fixed, self.fixed_inputs or self.inputs, self.kwargs,
                     self.fixed_other_inputs or self.other_inputs, self.other_kwargs, self.fixed_shapes, ""]
        else:
            variant = self.variant(form)
            shapes = variant.dynamic_shapes if variant else self.dynamic_shapes
            other = variant.other_inputs if variant else self.other_inputs
            parts = [self.bad, self.inputs, self.kwargs, other, self.other_kwargs, shapes, self.divergence_probe]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:12]

    @property
    def fixed_shapes(self) -> Optional[str]:
        return self.fixed_dynamic_shapes if self.fixed_dynamic_shapes is not None else self.dynamic_shapes


_CLAUSE_ENDS = (". ", " Explanation:", " (", "\n", "; ", " - ", " 0x", " Hint:", " For more")

# Advice torch puts before the error itself.
_PREAMBLES = ("Consider annotating your code using torch._check*(). ",)


def first_clause(message: str, limit: int = 72) -> str:
    """'Could not guard on data-dependent expression Eq(u0, 1) (unhinted: ...' -> up
    to the first sentence or parenthesis, cut at a word boundary near ``limit``."""
    text = message.strip()
    for preamble in _PREAMBLES:
        if text.startswith(preamble):
            text = text[len(preamble):]
    cut = min((i for i in (text.find(end) for end in _CLAUSE_ENDS) if i > 0), default=len(text))
    text = text[:cut].rstrip(" .:")
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0]
    return text
