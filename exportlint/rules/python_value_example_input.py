"""EXP235: a Python number, string or bool as an example input, or left at forward's default.

``export(m, (x, 2.0))`` bakes 2.0 into the program: calling it with 3.0 fails
its guard ("Guard failed: scale == 2.0"). A parameter left at its default is
not an input of the exported program at all. Pass a tensor
(``torch.tensor(2.0)``) for values that vary, or make the value a constant of
the module.
"""

from __future__ import annotations

from typing import List

from exportlint.analysis.site_inputs import input_name, site_model
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta

_PYTHON_VALUES = ("int", "float", "bool", "str")


class PythonValueExampleInput(Rule):
    meta = RuleMeta(
        code="EXP235",
        name="python-value-example-input",
        summary="a Python int/float/bool/str passed as an example input, or a forward parameter with such a "
                "default left out at the export call",
        why="export specialises Python values: the program accepts only the example's value "
                "(a default left out is no input at all).",
        instead="pass values that vary as tensors (torch.tensor(2.0)); keep true constants in the module",
        cases=("python_value_example_input",),
        specializes="bakes the value in",
        fix=NoAutofix("pass the value as a tensor or make it a constant of the model: the author's choice"),
    )

    def check_site(self, site, ctx, behaviour: Behaviour) -> None:
        baked: List[str] = [
            f"{input_name(site, spec, ctx)} = {spec.example}"
            for spec in site.inputs if spec.example in _PYTHON_VALUES
        ]
        model = site_model(site, ctx)
        if model is not None:
            passed = {spec.keyword for spec in site.inputs if spec.keyword}
            count = sum(1 for spec in site.inputs if spec.position is not None)
            defaults = dict(model.literal_defaults)
            for index, name in enumerate(model.params):
                if index >= count and name not in passed and name in defaults:
                    baked.append(f"`{name}` (default {defaults[name]})")
        if baked:
            what = f"example inputs fixed at trace time: {', '.join(baked)}"
            ctx.add_at(site.line, site.column, self.meta,
                       f"{what}: {ctx.target.describe()} export {behaviour.effect}; {self.meta.instead} "
                       f"[{self.meta.cases[0]}]", behaviour.severity)
