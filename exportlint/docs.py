"""The rule reference, generated from rule metadata and the case catalog."""

from __future__ import annotations

from typing import List, Optional

from exportlint.cases import all_cases
from exportlint.cases._case import Case
from exportlint.fix import Autofix
from exportlint.rule import RuleMeta
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


def _case_section(case: Case) -> List[str]:
    out = [f"Case `{case.name}`: {case.summary}.", "", "Example:", "", "```python", case.bad.rstrip(), "```", ""]
    if case.fixed:
        out += ["Use instead:", "", "```python", case.fixed.rstrip(), "```", ""]
    if case.dynamic_shapes:
        out += [f"Dynamic shapes of the example: `{case.dynamic_shapes}`"]
        if case.fixed_dynamic_shapes:
            out += [f"; of the rewrite: `{case.fixed_dynamic_shapes}`"]
        out += [""]
    out += ["What export does with the example (measured where a release is named):", ""]
    for outcome in case.bad_outcomes:
        measured = f" — measured on {outcome.measured_on}" if outcome.measured_on else ""
        out.append(f"- {outcome.describe()}{measured}")
    out.append("")
    if case.variants:
        out += ["The same model exported with other dynamic shapes:", ""]
        for variant in case.variants:
            codes = ", ".join(variant.expect) or "no finding"
            for outcome in variant.outcomes:
                measured = f" — measured on {outcome.measured_on}" if outcome.measured_on else ""
                out.append(f"- `{variant.dynamic_shapes}` ({codes}): {outcome.describe()}{measured}")
        out.append("")
    return out


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
    out += ["**Where it applies** (first match wins; elsewhere the rule is silent):", ""]
    for behaviour in meta.behaviours:
        severity = behaviour.severity.value
        out.append(f"- {behaviour.describe_range()}: {severity}, export {behaviour.effect}")
    out.append("")
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


def list_rules(settings) -> str:
    lines = []
    for rule in ALL_RULES:
        meta = rule.meta
        behaviour = meta.behaviour_for(settings.target)
        status = behaviour.severity.value if behaviour else "silent"
        enabled = "" if settings.is_enabled(meta.code) else " (disabled)"
        lines.append(f"{meta.code}  {meta.name:<32} {status:<8}{enabled} {meta.summary}")
    header = f"# rules for {settings.target.describe()} export\n"
    return header + "\n".join(lines) + "\n"


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
