"""Python literals read from source, for the rules and analyses that compare with them."""

from __future__ import annotations

from typing import Optional

import libcst as cst


def int_literal(node: Optional[cst.BaseExpression]) -> Optional[int]:
    """The value of ``3`` or ``-1``; None for anything else."""
    if isinstance(node, cst.Integer):
        return int(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = int_literal(node.expression)
        return -inner if inner is not None else None
    return None


def is_none(node: Optional[cst.BaseExpression]) -> bool:
    """The literal ``None``."""
    return isinstance(node, cst.Name) and node.value == "None"
