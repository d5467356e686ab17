"""EXP136: an example size outside the min/max of the Dim declared for it.

``dynamic_shapes={"x": {1: Dim("t", min=16, max=128)}}`` with an example of
8 time steps: export checks the example against the range first and fails
("8 not in range [16, 128]"). Widen the range or change the example.
"""

from __future__ import annotations

from exportlint.analysis.export_sites import NAMED
from exportlint.analysis.site_inputs import examples_with_dims, input_name
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


class ExampleOutsideDimRange(Rule):
    meta = RuleMeta(
        code="EXP136",
        name="example-outside-dim-range",
        summary="a literal example size outside the min/max of the named Dim declared for that dim",
        why="export checks every example size against its Dim's range before tracing.",
        instead="make the Dim's range hold the example size, or change the example",
        cases=("example_outside_dim_range",),
        fix=NoAutofix("the example input or the Dim's bounds must change, at the export call"),
    )

    def check_site(self, site, ctx, behaviour: Behaviour) -> None:
        for spec, dims in examples_with_dims(site, ctx):
            for index, dim in sorted(dims.items()):
                size = spec.sizes[index] if 0 <= index < len(spec.sizes) else None
                if dim.flavour != NAMED or size is None:
                    continue
                low, high = dim.min, dim.max
                if (low is not None and size < low) or (high is not None and size > high):
                    bounds = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
                    what = (
                        f"example {input_name(site, spec, ctx)} has size {size} on dim {index}, "
                        f"outside `{dim.text}` {bounds}"
                    )
                    ctx.add_at(spec.line or site.line, site.column, self.meta,
                               f"{what}: {ctx.target.describe()} export {behaviour.effect}; {self.meta.instead} "
                               f"[{self.meta.cases[0]}]", behaviour.severity)
