"""The measured outcomes: what torch.export did with every case, per release.

``data/outcomes.json`` is written by ``bench/sweep.py`` (one virtual
environment per torch release, ``exportlint verify --format json`` in it) and
keyed release -> case -> form (bad, fixed, shapes=<variant label>) -> mode,
each case with the fingerprints of the forms measured. Reading it never
imports torch.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Dict, Optional, Tuple

from packaging.version import Version

DATA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "outcomes.json")

# torch.export.export appeared in 2.1; older targets are a usage error.
OLDEST_SUPPORTED = Version("2.1")


@lru_cache(maxsize=None)
def _releases() -> Dict[str, dict]:
    try:
        with open(DATA_FILE, encoding="utf-8") as handle:
            return json.load(handle).get("releases", {})
    except (OSError, ValueError):  # no data file: every case keeps its hand rows
        return {}


@lru_cache(maxsize=None)
def measured_releases() -> Tuple[Version, ...]:
    return tuple(sorted(Version(r) for r in _releases()))


def newest_measured() -> Optional[Version]:
    releases = measured_releases()
    return releases[-1] if releases else None


@lru_cache(maxsize=None)
def release_for(torch: Version) -> Tuple[Optional[Version], bool]:
    """The measured release whose rows speak for a target, and whether the target
    itself was measured (same major.minor; the newest patch measured wins).

    An unmeasured target uses the nearest older measured release, or the oldest
    one when it is older than all of them."""
    releases = measured_releases()
    if not releases:
        return None, False
    same = [r for r in releases if (r.major, r.minor) == (torch.major, torch.minor)]
    if same:
        return same[-1], True
    older = [r for r in releases if r < torch]
    return (older[-1] if older else releases[0]), False


def row(release: Version, case: str, form: str, mode: str) -> Optional[dict]:
    """{"result", "error"?, "message"?} measured for one form of a case on one release, or None."""
    entry = _releases().get(str(release), {}).get("cases", {}).get(case)
    if entry is None:
        return None
    return entry.get(form, {}).get(mode)


def has_case(release: Version, case: str) -> bool:
    return case in _releases().get(str(release), {}).get("cases", {})


def release_info(release: Version) -> dict:
    """torch build, python, date and exportlint commit of one release's sweep."""
    info = dict(_releases().get(str(release), {}))
    info.pop("cases", None)
    return info
