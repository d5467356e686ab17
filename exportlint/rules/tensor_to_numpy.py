"""EXP110: a tensor handed to NumPy in traced code.

``x.cpu().numpy()``, ``x.numpy()`` or ``np.tanh(x)`` in forward: non-strict
export traces with fake tensors, which have no data to give NumPy, and fails
with "RuntimeError: .numpy() is not supported for tensor subclasses". Strict
export (TorchDynamo) rewrites NumPy calls on tensors into torch ops, so it
exports there. Use the torch op instead.
"""

from __future__ import annotations

import libcst as cst

from exportlint.analysis.kinds import Kind
from exportlint.fix import NoAutofix
from exportlint.rule import Behaviour, Rule, RuleMeta
from exportlint.analysis.sizes import code, numpy_function


class TensorToNumpy(Rule):
    meta = RuleMeta(
        code="EXP110",
        name="tensor-to-numpy",
        summary="`.numpy()` on a tensor, or a numpy function called on a tensor, in code reachable from forward",
        why=(
            "Non-strict export runs forward on fake tensors, which hold no data: converting one to a NumPy "
            "array is impossible, and NumPy work would not be in the graph anyway."
        ),
        instead=(
            "use the torch equivalent (torch.tanh, torch.sum, ...) on the tensor; keep NumPy for constants built in "
            "__init__ or at module level"
        ),
        cases=("tensor_to_numpy",),
        fix=NoAutofix(
            "the NumPy code around the conversion must be rewritten with torch ops"
        ),
    )

    def visit_Call(self, node: cst.Call, ctx, behaviour: Behaviour) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "numpy" and ctx.kind(func.value) is Kind.TENSOR:
            self.report(ctx, node, f"`{code(node)}` converts a traced tensor to NumPy", behaviour)
            return
        name = numpy_function(func, ctx)
        if name is None or name.startswith("random."):
            return
        for arg in node.args:
            if not arg.star and ctx.kind(arg.value) is Kind.TENSOR:
                self.report(ctx, node, f"`np.{name}()` of traced tensor `{code(arg.value)}`", behaviour)
                return
