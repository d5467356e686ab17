"""The rule reference, generated from rule metadata and the case catalog."""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from packaging.version import Version

from exportlint import measured
from exportlint.cases import all_cases
from exportlint.cases._case import CRASHED, FAILS, Case, Outcome
from exportlint.claims import rule_behaviour, rule_forms
from exportlint.fix import Autofix
from exportlint.rule import BOTH_MODES, Behaviour, RuleMeta
from exportlint.rules import ALL_RULES, RULES_BY_CODE

FILE_CODES = (
    ("EXP000", "could-not-parse",
     "The file could not be read, decoded (PEP 263) or parsed. One finding per file; the run goes on."),
    ("EXP001", "internal-error",
     "exportlint itself failed on this file (the message names the rule). Please report it."),
    ("EXP002", "timeout", "Linting the file took longer than the per-file time limit (`--timeout`, default 30 s)."),
)


def _indent(code: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in code.rstrip().splitlines())


def _grouped(rows: Sequence[Tuple[Version, Tuple[str, ...]]], lead: Tuple[str, ...] = ()) -> List[str]:
    """Table lines, consecutive releases with the same cells in one line."""
    out: List[str] = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][1] != rows[start][1]:
            first, last = rows[start][0], rows[i - 1][0]
            releases = str(first) if first == last else f"{first} – {last}"
            out.append("| " + " | ".join((releases,) + lead + rows[start][1]) + " |")
            start = i
    return out


def _outcome_cell(outcome: Optional[Outcome]) -> str:
    if outcome is None:
        return "not measured"
    if outcome.result == FAILS:
        said = outcome.match or outcome.note
        return f"fails ({outcome.error}: \"{said}\")" if said else f"fails ({outcome.error})"
    if outcome.result == CRASHED:
        return f"not measurable ({outcome.note.split(':')[0]}: {outcome.error})"
    return outcome.result


def _behaviour_cell(behaviour: Optional[Behaviour]) -> str:
    return f"{behaviour.severity.value}: {behaviour.effect}" if behaviour else "silent"


def _form_label(case: Case, form: str) -> str:
    if form == "bad":
        return f"example (`{case.dynamic_shapes}`)" if case.dynamic_shapes else "example"
    if form == "fixed":
        return "rewrite"
    variant = case.variant(form)
    return f"`{variant.dynamic_shapes}`" if variant.dynamic_shapes else "no dynamic shapes"


def _case_section(case: Case) -> List[str]:
    out = [f"Case `{case.name}`: {case.summary}.", "", "Example:", "", "```python", case.bad.rstrip(), "```", ""]
    if case.fixed:
        out += ["Use instead:", "", "```python", case.fixed.rstrip(), "```", ""]
    if case.dynamic_shapes:
        out += [f"Dynamic shapes of the example: `{case.dynamic_shapes}`"]
        if case.fixed_dynamic_shapes:
            out += [f"; of the rewrite: `{case.fixed_dynamic_shapes}`"]
        out += [""]
    releases = [r for r in measured.measured_releases() if measured.has_case(r, case.name)]
    if releases:
        out += ["What export does, measured on each release (`bench/sweep.py`); the variants are the example "
                "exported with other dynamic shapes:", ""]
        out += ["| torch | model | strict | non-strict |", "| --- | --- | --- | --- |"]
        for form in case.forms():
            rows = [(r, tuple(_outcome_cell(case.measured_outcome(r, m, form)) for m in BOTH_MODES)) for r in releases]
            out += _grouped(rows, (_form_label(case, form),))
    else:
        out += ["What export does with the example (not yet in the release sweep; hand-measured rows):", ""]
        for outcome in case.bad_outcomes:
            where = f" — measured on {outcome.measured_on}" if outcome.measured_on else ""
            out.append(f"- {outcome.describe()}{where}")
    out.append("")
    return out


def measured_table(meta: RuleMeta) -> List[str]:
    """The rule's claim per measured release and mode, derived from its cases."""
    releases = measured.measured_releases()
    forms = ", ".join(f"`{n}`" if f == "bad" else f"`{n}` exported with `{f[len('shapes='):]}` shapes"
                      for n, f in rule_forms(meta))
    out = [f"**Where it applies** (derived from the outcomes of {forms} measured on each torch release: the "
           "strongest wins; a release not listed was not measured):", ""]
    if not releases:
        return out + ["No release measured yet: the cases' hand-written rows apply.", ""]
    out += ["| torch | strict | non-strict |", "| --- | --- | --- |"]
    rows = [(r, tuple(_behaviour_cell(rule_behaviour(meta, r, m)) for m in BOTH_MODES)) for r in releases]
    return out + _grouped(rows) + [""]


def fix_kinds(meta: RuleMeta) -> str:
    """'safe', 'unsafe', 'safe, unsafe' or 'none': what --fix can do for the rule."""
    if not isinstance(meta.fix, Autofix):
        return "none"
    return ", ".join(sorted({form.safety for form in meta.fix.forms}))


def _fix_section(meta: RuleMeta) -> List[str]:
    spec = meta.fix
    if not isinstance(spec, Autofix):
        reason = f": {spec.reason}" if spec.reason else ""
        return [f"**Autofix:** none{reason}.", ""]
    out = ["**Autofix** (`exportlint --fix`; unsafe forms need `--unsafe-fixes`):", ""]
    for form in spec.forms:
        why = f" ({form.why})" if form.why else ""
        out.append(f"- {form.safety}: `{form.rewrite}`{why}")
    if spec.otherwise:
        out.append(f"- other findings: no fix, {spec.otherwise}")
    return out + [""]


# Rules whose findings depend on which dims the export call declares dynamic.
SIZE_RULES = frozenset({"EXP101", "EXP111", "EXP130", "EXP131", "EXP132", "EXP133", "EXP210", "EXP211",
                        "EXP212"})
DIMS_SECTION = """**Which dims are dynamic:** read from the call that exports the model (`dynamic_shapes=` of
`torch.export.export` and friends), in the model's file or in any file of the project (scripts, tests,
other packages; the model's own file first, then files in path order: the first call wins), else from
`[tool.exportlint.dynamic-shapes]`, else `default-dims`. Each dim is one of three flavours:

- static (no `dynamic_shapes`, `None`, `Dim.STATIC`, a dim not listed): sizes are constants; no finding.
- automatic (`Dim.AUTO`): export infers; where code forces a value it specialises silently (warnings).
- named (`Dim("t", min=2, max=128)`, `2 * Dim("h")`): export must prove the code right for the whole
  range, and fails where it cannot (errors).

Declare a dim for a model exported outside the linted project:

```toml
[tool.exportlint.dynamic-shapes."pkg.models.Net"]
tokens = { 1 = "Dim('t', max=128)" }   # or "Dim.AUTO", "2 * Dim('h')"; unlisted dims are static
```
"""


def rule_page(meta: RuleMeta) -> str:
    cases = all_cases()
    out = [f"## {meta.code} {meta.name}", ""]
    out += [f"**What it does:** flags {meta.summary}.", ""]
    out += [f"**Why export cares:** {meta.why}", ""]
    out += [f"**Use instead:** {meta.instead}.", ""]
    out += measured_table(meta)
    if meta.graph_break:
        out += [f"**Graph-break id (strict):** {meta.graph_break}", ""]
    out += _fix_section(meta)
    if meta.code in SIZE_RULES:
        out += [DIMS_SECTION]
    for name in meta.cases:
        if name in cases:
            out += _case_section(cases[name])
    return "\n".join(out).rstrip() + "\n"


def explain(code_or_name: str) -> Optional[str]:
    """The page of a rule given by code (EXP101, exp101) or name (round-symbolic-size)."""
    wanted = code_or_name.strip()
    for file_code, name, text in FILE_CODES:
        if wanted.upper() == file_code or wanted.lower() == name:
            return f"## {file_code} {name}\n\n{text}\n"
    rule = RULES_BY_CODE.get(wanted.upper()) or next(
        (r for r in ALL_RULES if r.meta.name == wanted.lower()), None
    )
    return rule_page(rule.meta) if rule else None


def closest_rule(code_or_name: str) -> Optional[str]:
    import difflib

    choices = [code for code, _, _ in FILE_CODES] + [name for _, name, _ in FILE_CODES]
    choices += [r.meta.code for r in ALL_RULES] + [r.meta.name for r in ALL_RULES]
    found = difflib.get_close_matches(code_or_name, choices, n=1, cutoff=0.5)
    return found[0] if found else None


_LETTER = {"error": "F", "warning": "S"}


def list_rules(settings) -> str:
    target = settings.target
    lines = []
    for rule in ALL_RULES:
        meta = rule.meta
        behaviour = meta.behaviour_for(target)
        status = behaviour.severity.value if behaviour else "silent"
        enabled = "" if settings.is_enabled(meta.code) else " (disabled)"
        lines.append(f"{meta.code}  {meta.name:<32} {status:<8}{enabled} {meta.summary}")
    header = f"# rules for {target.describe()} export{target_note(target, ', ')}\n"
    return header + "\n".join(lines) + "\n" + _release_matrix()


def target_note(target, prefix: str = "") -> str:
    release, exact = measured.release_for(target.torch)
    if release is None:
        return f"{prefix}no release measured: the cases' hand rows apply"
    if exact:
        return f"{prefix}measured on torch {release}"
    return f"{prefix}torch {target.torch} not measured: using torch {release}'s measurements"


def _release_matrix() -> str:
    """Every rule on every measured release: strict/non-strict, F fails (error),
    S specializes (warning), . silent."""
    releases = measured.measured_releases()
    if not releases:
        return ""
    names = [f"{r.major}.{r.minor}" for r in releases]
    out = ["", "# measured per release, strict/non-strict: F fails (error), S specializes (warning), . silent",
           "code    " + " ".join(n.ljust(5) for n in names)]
    for rule in ALL_RULES:
        cells = []
        for release in releases:
            pair = [rule_behaviour(rule.meta, release, m) for m in BOTH_MODES]
            cells.append("/".join(_LETTER[b.severity.value] if b else "." for b in pair).ljust(5))
        out.append(f"{rule.meta.code}  " + " ".join(cells))
    return "\n".join(out) + "\n"


def reference() -> str:
    """docs/rules.md, whole."""
    out = [
        "# Rule reference",
        "",
        "Generated from the rules' metadata and the case catalog by",
        "`python -m exportlint.docs > docs/rules.md`; do not edit by hand.",
        "",
        "| code | name | summary | autofix |",
        "| --- | --- | --- | --- |",
    ]
    for code, name, text in FILE_CODES:
        out.append(f"| [{code}](#{code.lower()}-{name}) | {name} | {text.split('.')[0]} | none |")
    for rule in ALL_RULES:
        meta = rule.meta
        anchor = f"[{meta.code}](#{meta.code.lower()}-{meta.name})"
        out.append(f"| {anchor} | {meta.name} | {meta.summary} | {fix_kinds(meta)} |")
    out.append("")
    for code, name, text in FILE_CODES:
        out += [f"## {code} {name}", "", text, ""]
    for rule in ALL_RULES:
        out.append(rule_page(rule.meta))
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(reference())
