"""What each imported name stands for, read from the module's import statements.

This replaces LibCST's QualifiedNameProvider, which runs a full scope analysis:
model files bind torch names once at the top, so a table of aliases is enough.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

import libcst as cst

from exportlint.analysis.modules import resolve_relative  # noqa: F401  (re-exported)


_NAME_OR_ATTRIBUTE: Dict[type, int] = {}  # type -> 1 (an Attribute), 2 (a Name), 0; see _shape


def _shape(node_type: type) -> int:
    """issubclass once per type: isinstance on LibCST's ABCs goes through ABCMeta.__instancecheck__."""
    found = _NAME_OR_ATTRIBUTE.get(node_type)
    if found is None:
        found = _NAME_OR_ATTRIBUTE[node_type] = (
            1 if issubclass(node_type, cst.Attribute) else 2 if issubclass(node_type, cst.Name) else 0
        )
    return found


def dotted_name(node: cst.BaseExpression) -> Optional[str]:
    """'a.b.c' for Name/Attribute chains, else None."""
    parts = []
    shape = _shape(type(node))
    while shape == 1:
        parts.append(node.attr.value)
        node = node.value
        shape = _shape(type(node))
    if shape != 2:
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


class ImportTable:
    """Maps local names to the fully qualified names they were imported as.

    ``module`` (the file's dotted module name) lets relative imports resolve:
    ``from ...modeling_utils import PreTrainedModel`` inside
    ``transformers.models.llama.modeling_llama`` names
    ``transformers.modeling_utils.PreTrainedModel``.
    """

    def __init__(self, module: str = "", is_package: bool = False) -> None:
        self._aliases: Dict[str, str] = {}
        # id(node) -> (node, qualify(node)) while the aliases stay as they are: rules ask
        # again and again about the same callee (6 M calls, 17 of 288 profiled s on
        # transformers/models). The node is kept so that its id cannot be reused.
        self._qualified: Dict[int, Tuple[cst.BaseExpression, Optional[str]]] = {}
        self.module = module
        self.is_package = is_package

    def add_import(self, node: cst.Import) -> None:
        self._qualified.clear()
        for alias in node.names:
            full = dotted_name(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._aliases[alias.asname.name.value] = full
            else:
                # `import torch.nn` binds `torch`, which resolves to itself.
                top = full.split(".")[0]
                self._aliases[top] = top

    def add_import_from(self, node: cst.ImportFrom) -> None:
        self._qualified.clear()
        if isinstance(node.names, cst.ImportStar):
            return
        module = dotted_name(node.module) if node.module is not None else None
        if node.relative:
            if not self.module:
                return
            module = resolve_relative(self.module, self.is_package, len(node.relative), module)
        if module is None:
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self._aliases[local] = f"{module}.{name}"

    def qualify(self, node: cst.BaseExpression) -> Optional[str]:
        """The qualified name an expression refers to, if it starts at an import."""
        known = self._qualified.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        found = self._qualify(node)
        self._qualified[id(node)] = (node, found)
        return found

    def _qualify(self, node: cst.BaseExpression) -> Optional[str]:
        name = dotted_name(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        full = self._aliases.get(head)
        if full is None:
            return None
        return f"{full}.{rest}" if rest else full

    def names(self) -> Dict[str, str]:
        return dict(self._aliases)
