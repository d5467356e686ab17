from exportlint.cases._case import EXPORTS, Case, Outcome

CASE = Case(
    name="cond_branch_class_method",
    summary="torch.cond with bound methods (of a submodule and of self) as branches",
    exportdb="cond_branch_class_method",
    bad='''\
import torch


class Doubler(torch.nn.Module):
    def twice(self, x):
        return x * 2

    def forward(self, x):
        return self.twice(x)


class Model(torch.nn.Module):
    """Long batches are doubled by a submodule, short ones halved by a method."""

    def __init__(self):
        super().__init__()
        self.doubler = Doubler()

    def halve(self, x):
        return x / 2

    def forward(self, x):
        return torch.cond(x.shape[0] > 4, self.doubler.forward, self.halve, (x,))
''',
    inputs="(torch.randn(6, 3),)",
    other_inputs="(torch.randn(3, 3),)",
    dynamic_shapes='{"x": {0: Dim("batch")}}',
    bad_outcomes=(
        Outcome(EXPORTS, versions=">=2.13", measured_on="2.13.0, 2.14.1",
                note="the batch is dynamic, so the predicate is symbolic and both branches are kept"),
    ),
)
