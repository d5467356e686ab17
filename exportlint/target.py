"""Which torch release and export mode the findings are computed for."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from typing import Optional

from packaging.version import InvalidVersion, Version

from exportlint import measured

# Export's default flipped from strict to non-strict in torch 2.8 (pytorch#148790).
NON_STRICT_DEFAULT_SINCE = Version("2.8")

# Used when no torch is installed next to the linter (e.g. in a pre-commit
# environment) and the data file is missing: the release the hand rows of
# the catalog were measured on.
HAND_MEASURED = Version("2.13")


def newest_known() -> Version:
    """The newest release the sweep measured (the default target without torch)."""
    return measured.newest_measured() or HAND_MEASURED


@dataclass(frozen=True)
class Target:
    torch: Version
    strict: bool

    @property
    def mode(self) -> str:
        return "strict" if self.strict else "non-strict"

    def describe(self) -> str:
        return f"torch {self.torch.major}.{self.torch.minor} {self.mode}"

    @property
    def measured_release(self) -> Optional[Version]:
        """The measured release whose outcomes the findings use."""
        return measured.release_for(self.torch)[0]

    @property
    def was_measured(self) -> bool:
        return measured.release_for(self.torch)[1]

    def unmeasured_note(self) -> Optional[str]:
        """One line for stderr when the target's release was never measured."""
        release, exact = measured.release_for(self.torch)
        if exact or release is None:
            return None
        releases = measured.measured_releases()
        if self.torch < releases[0]:
            where = f"older than the oldest measured release, {releases[0]}"
        elif self.torch > releases[-1]:
            where = f"newer than the newest measured release, {releases[-1]}"
        else:
            where = "not among the measured releases"
        return f"target torch {self.torch} was not measured ({where}); the findings use torch {release}'s outcomes"

    def properties(self) -> dict:
        """What json/sarif runs record about the target."""
        release = self.measured_release
        return {"targetTorch": str(self.torch), "mode": self.mode,
                "measuredRelease": str(release) if release else None, "targetMeasured": self.was_measured}


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
    if torch:
        version = parse_torch_version(torch)
        if version < measured.OLDEST_SUPPORTED:
            raise ValueError(f"torch {version} has no torch.export (it appeared in {measured.OLDEST_SUPPORTED})")
    else:
        version = installed_torch() or newest_known()
    if strict is None:
        strict = version < NON_STRICT_DEFAULT_SINCE
    return Target(version, strict)
