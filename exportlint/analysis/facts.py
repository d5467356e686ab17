"""What crosses file boundaries: facts a file's analysis takes from the project,
and what it hands back. Plain data: cached, compared and hashed as JSON."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Dict, Optional, Tuple

from exportlint.analysis.kind import Kind
from exportlint.analysis.site_data import ExportSite

PASSED_ON = "param:"  # an argument that is the caller's own parameter, passed on unchanged


@dataclass(frozen=True, slots=True)
class Entry:
    """A kind a value has on entry to a function, and where it came from."""

    kind: Kind
    origin: str = ""  # e.g. "`.item()` at pkg/encoder.py:12", for data-dependent values


@dataclass(frozen=True, slots=True)
class ExternalFacts:
    """What the rest of the project says about one file."""

    # qualified class name -> True (an nn.Module), False (not one), None (cannot tell)
    bases: Tuple[Tuple[str, Optional[bool]], ...] = ()
    # function key ("f" or "Cls.forward") -> the kinds its callers in other files pass
    entries: Tuple[Tuple[str, Tuple[Tuple[str, str, str], ...]], ...] = ()
    # qualified callee in another file -> (kind, origin) of what it returns
    returns: Tuple[Tuple[str, str, str], ...] = ()
    # function keys of this file that traced code of other files calls
    roots: Tuple[str, ...] = ()
    # export calls in other files of this file's models: (path of the calling file, site
    # with ``model`` the class's name here), in the order the index ranks them
    sites: Tuple[Tuple[str, ExportSite], ...] = ()
    # forward of the models this file's own export calls take from other files:
    # (model as the site names it, forward's parameters, (parameter, literal default))
    site_models: Tuple[Tuple[str, Tuple[str, ...], Tuple[Tuple[str, str], ...]], ...] = ()
    # memo of digest() and the lookup tables; never copied (init=False: dataclasses.replace makes a new one)
    _cache: Dict[str, object] = field(default_factory=dict, init=False, compare=False, hash=False, repr=False)

    def to_json(self) -> list:
        return [[list(b) for b in self.bases], [[k, [list(p) for p in ps]] for k, ps in self.entries],
                [list(r) for r in self.returns], list(self.roots),
                [[path, site.to_json()] for path, site in self.sites],
                [[model, list(params), [list(d) for d in defaults]] for model, params, defaults in self.site_models]]

    def digest(self) -> str:
        found = self._cache.get("digest")
        if found is None:
            found = self._cache["digest"] = hashlib.sha1(
                json.dumps(self.to_json(), sort_keys=True).encode()
            ).hexdigest()[:16]
        return found

    def base_verdict(self, qualified: str) -> Tuple[bool, Optional[bool]]:
        """(known, verdict) for a qualified class name."""
        table = self._cache.get("bases")
        if table is None:
            table = self._cache["bases"] = dict(self.bases)
        return (qualified in table, table.get(qualified))

    def entry_kinds(self, key: str) -> Dict[str, Entry]:
        table = self._cache.get("entries")
        if table is None:
            table = self._cache["entries"] = {
                k: {name: Entry(Kind(kind), origin) for name, kind, origin in params} for k, params in self.entries
            }
        return table.get(key, {})

    def site_model(self, model: str) -> Optional[Tuple[Tuple[str, ...], Tuple[Tuple[str, str], ...]]]:
        """(forward's parameters, literal defaults) of a model an export call here takes from another file."""
        for name, params, defaults in self.site_models:
            if name == model:
                return params, defaults
        return None

    def returned(self, qualified: str) -> Optional[Entry]:
        for callee, kind, origin in self.returns:
            if callee == qualified:
                return Entry(Kind(kind), origin)
        return None


NO_FACTS = ExternalFacts()


@dataclass(frozen=True, slots=True)
class CallFact:
    """A call in traced code to a function or module of another file."""

    caller: str  # function key in this file
    callee: str  # qualified: "pkg.mod.helper" or "pkg.mod.Block.forward"
    args: Tuple[Tuple[str, str, str], ...]  # (position "0".. or keyword, kind value or "param:NAME", origin)


@dataclass(frozen=True, slots=True)
class FlowSummary:
    """What a file's traced code hands to other files, and which of the project's facts about
    callees in other files its analysis read."""

    calls: Tuple[CallFact, ...] = ()
    defaults: Tuple[Tuple[str, Tuple[Tuple[str, str], ...]], ...] = ()  # key -> (param, kind) as first walked
    returns: Tuple[Tuple[str, str, str], ...] = ()  # key -> (kind, origin)
    # qualified callees whose return kind (ExternalFacts.returned) the analysis asked for: a
    # change in any other callee's return cannot change its result
    read_returns: Tuple[str, ...] = ()

    def to_json(self) -> list:
        return [[[c.caller, c.callee, [list(a) for a in c.args]] for c in self.calls],
                [[k, [list(p) for p in ps]] for k, ps in self.defaults], [list(r) for r in self.returns],
                list(self.read_returns)]

    @classmethod
    def from_json(cls, data: list) -> "FlowSummary":
        calls, defaults, returns, read_returns = data
        return cls(
            tuple(
                CallFact(str(a), str(b), tuple((str(x), str(y), str(z)) for x, y, z in args)) for a, b, args in calls
            ),
            tuple((str(k), tuple((str(n), str(v)) for n, v in ps)) for k, ps in defaults),
            tuple((str(k), str(v), str(o)) for k, v, o in returns),
            tuple(str(r) for r in read_returns),
        )


def same_for(flows: FlowSummary, old: ExternalFacts, new: ExternalFacts) -> bool:
    """Whether an analysis that read ``flows.read_returns`` of the return facts would see the
    same with ``new`` as with ``old`` (everything else is compared whole)."""
    if old.digest() == new.digest():
        return True
    if replace(old, returns=()) != replace(new, returns=()):
        return False
    return all(old.returned(q) == new.returned(q) for q in flows.read_returns)


NO_FLOWS = FlowSummary()
