"""EXP134: an example input of size 0 or 1 on a dim declared as a named Dim or Dim.DYNAMIC.

``export(m, (torch.randn(2, 1, 4),), dynamic_shapes={"x": {1: Dim("t")}})``:
export specialises dims whose example size is 0 or 1 (they behave differently
in broadcasting), then finds the dim declared dynamic: "You marked t as
dynamic but your code specialized it to be a constant (1)". With Dim.AUTO it
exports, fixed to that size (EXP234). Use an example of size 2 or more.
"""

from __future__ import annotations

from exportlint.analysis.export_sites import AUTO, DYNAMIC, NAMED
from exportlint.analysis.site_inputs import examples_with_dims, input_name
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta


def tiny_dims(rule: Rule, site, ctx, behaviour: Behaviour, flavours) -> None:
    for spec, dims in examples_with_dims(site, ctx):
        for index, dim in sorted(dims.items()):
            size = spec.sizes[index] if 0 <= index < len(spec.sizes) else None
            if dim.flavour in flavours and size in (0, 1):
                what = (
                    f"example {input_name(site, spec, ctx)} has size {size} on dim {index}, declared "
                    f"dynamic (`{dim.text}`): export specialises sizes 0 and 1"
                )
                ctx.add_at(spec.line or site.line, site.column, rule.meta, f"{what}: {ctx.target.describe()} "
                           f"export {behaviour.effect}; {rule.meta.instead} [{rule.meta.cases[0]}]", behaviour.severity)


class TinyExampleDim(Rule):
    meta = RuleMeta(
        code="EXP134",
        name="tiny-example-on-dynamic-dim",
        summary="an example input of size 0 or 1 on a dim declared as a named Dim or Dim.DYNAMIC",
        why="export treats sizes 0 and 1 as special (broadcasting) and fixes them, contradicting the declaration.",
        instead="give an example of size 2 or more on every dynamic dim",
        cases=("tiny_example_dim",),
        fix=NoAutofix("the example input needs a size of at least 2 on the dynamic dim, at the export call"),
    )

    def check_site(self, site, ctx, behaviour: Behaviour) -> None:
        tiny_dims(self, site, ctx, behaviour, (NAMED, DYNAMIC))


class TinyExampleAutoDim(Rule):
    meta = RuleMeta(
        code="EXP234",
        name="tiny-example-on-auto-dim",
        summary="an example input of size 0 or 1 on a dim declared Dim.AUTO",
        why="export treats sizes 0 and 1 as special and fixes the dim to the example's size, without a word.",
        instead="give an example of size 2 or more on every dynamic dim",
        cases=("tiny_example_auto_dim",),
        specializes="exports with the dim fixed to the example's size",
        fix=NoAutofix("the example input needs a size of at least 2 on the dynamic dim, at the export call"),
    )

    def check_site(self, site, ctx, behaviour: Behaviour) -> None:
        tiny_dims(self, site, ctx, behaviour, (AUTO,))
