"""Which torch release and export mode the findings are computed for."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

# Export's default flipped from strict to non-strict in torch 2.8 (pytorch#148790).
NON_STRICT_DEFAULT_SINCE = Version("2.8")

# The newest release whose behaviour the catalog was measured on; used when no
# torch is installed next to the linter (e.g. in a pre-commit environment).
NEWEST_KNOWN = Version("2.14")


@dataclass(frozen=True)
class Target:
    torch: Version
    strict: bool

    @property
    def mode(self) -> str:
        return "strict" if self.strict else "non-strict"

    def describe(self) -> str:
        return f"torch {self.torch.major}.{self.torch.minor} {self.mode}"


def parse_torch_version(text: str) -> Version:
    """'2.13.0+cpu' -> 2.13.0; '2.5' -> 2.5. Raises ValueError when unreadable."""
    try:
        version = Version(text.strip())
    except InvalidVersion as exc:
        raise ValueError(f"not a torch version: {text!r}") from exc
    return Version(version.base_version)


def installed_torch() -> Version | None:
    # Package metadata only: importing torch would cost seconds and run its code.
    try:
        return parse_torch_version(importlib.metadata.version("torch"))
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return None


def resolve_target(torch: str | None = None, strict: bool | None = None) -> Target:
    version = parse_torch_version(torch) if torch else (installed_torch() or NEWEST_KNOWN)
    if strict is None:
        strict = version < NON_STRICT_DEFAULT_SINCE
    return Target(version, strict)
