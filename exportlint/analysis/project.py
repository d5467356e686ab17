"""The project index: what every file of the project says, put together.

Built from per-file summaries only (never a syntax tree): each file's
structure (imports, classes, bases, signatures; read with ``ast``) and, for
the files whose traced code was walked, its flow summary (calls into other
files, with the kinds of the arguments, and what its functions return). From
them it answers, for one file, the facts its analysis needs from the others
(``ExternalFacts``): which imported classes are modules, which of its
functions are traced from elsewhere and with what kinds, what imported
helpers return, which export calls of other files declare its models' dims,
and the forward of the models its own export calls take from elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from exportlint.analysis.facts import PASSED_ON, Entry, ExternalFacts, FlowSummary
from exportlint.analysis.kind import Kind
from exportlint.analysis.library_bases import library_base_kind
from exportlint.analysis.site_data import ExportSite
from exportlint.analysis.structure import ClassShape, FileStructure, Signature

_MAX_ALIAS_HOPS = 8
_MAX_ROUNDS = 10

Target = Tuple[str, str]  # (path, function key)


def join(entries: Iterable[Entry]) -> Entry:
    """One kind for a value that can come from several places: theirs if they agree, else unknown."""
    found = sorted(set(entries), key=lambda e: (e.kind.value, e.origin))
    kinds = {e.kind for e in found}
    if len(kinds) == 1:
        return found[0]
    return Entry(Kind.UNKNOWN)


class ProjectIndex:
    def __init__(
        self,
        structures: Dict[str, FileStructure],
        module_bases: Sequence[str] = (),
        unresolved_forward_is_module: bool = True,
    ) -> None:
        self.structures = structures
        self.module_bases = tuple(module_bases)
        self.fallback = unresolved_forward_is_module
        self.by_module: Dict[str, str] = {}
        for path in sorted(structures):
            self.by_module.setdefault(structures[path].module, path)
        self._verdicts: Dict[str, Optional[bool]] = {}
        self._class_verdicts: Dict[Tuple[str, str], Optional[bool]] = {}
        self._entries: Dict[Target, Dict[str, Entry]] = {}
        self._returns: Dict[str, Dict[str, Entry]] = {}
        self._returned: Dict[Target, Tuple[str, str]] = {}  # (kind, origin) each analysed function returns
        # the same, from context files walked before their analysis (ProjectRun._provisional_returns)
        self._provisional: Dict[Target, Tuple[str, str]] = {}
        self._roots: Dict[str, Set[str]] = {}
        self._entries_by_path: Dict[str, list] = {}
        # Structure-only answers, kept across propagate() calls (the structures do not change):
        self._resolved: Dict[str, Optional[Tuple[str, str, object]]] = {}
        self._defining: Dict[str, Optional[str]] = {}
        self._signatures: Dict[Target, Optional[Signature]] = {}
        self._static_facts: Dict[str, tuple] = {}
        self._imported_callees: Dict[str, List[Tuple[str, Target]]] = {}
        self._inherited_roots: Optional[List[Target]] = None
        self._foreign_sites: Optional[Dict[str, List[Tuple[str, ExportSite]]]] = None

    # Names --------------------------------------------------------------
    def defining_file(self, qualified: str) -> Optional[str]:
        """The file that defines what ``qualified`` names (a class, function or module)."""
        if qualified in self.by_module:
            return self.by_module[qualified]
        if qualified not in self._defining:
            found = self.resolve(qualified)
            self._defining[qualified] = found[1] if found is not None else None
        return self._defining[qualified]

    def importers_cone(self, paths: Iterable[str], candidates: Iterable[str]) -> List[str]:
        """The candidates that import, directly or through one another, from ``paths``:
        the only files whose traced code can pass values into them."""
        reached = set(paths)
        pending = sorted(set(candidates) - reached)
        imported_files = {
            path: {self.defining_file(q) for _, q in self.structures[path].imports}
            for path in pending if path in self.structures
        }
        changed = True
        while changed:
            changed = False
            for path in pending:
                if path not in reached and imported_files.get(path, set()) & reached:
                    reached.add(path)
                    changed = True
        return [p for p in pending if p in reached]

    def provider_batches(self, paths: Sequence[str], most: int = 4) -> List[List[str]]:
        """``paths`` in batches, each file after the files of ``paths`` it imports from (their
        helpers' return kinds are then known when it is analysed: analysed together, a caller
        would be analysed again once they are). Files in an import cycle, and files deeper than
        ``most`` batches, go to the last batch."""
        wanted = set(paths)
        providers = {
            path: {self.defining_file(q) for _, q in self.structures[path].imports} & wanted - {path}
            if path in self.structures else set()
            for path in paths
        }
        batches: List[List[str]] = []
        placed: Set[str] = set()
        left = list(paths)
        while left and len(batches) < most - 1:
            ready = [p for p in left if providers[p] <= placed]
            if not ready:
                break
            batches.append(ready)
            placed.update(ready)
            left = [p for p in left if p not in placed]
        if left:
            batches.append(left)
        return batches

    def resolve(self, qualified: str, hops: int = 0) -> Optional[Tuple[str, str, object]]:
        """("class", path, ClassShape), ("method", path, (ClassShape, name)), ("function", path, name)."""
        if hops == 0:
            if qualified not in self._resolved:
                self._resolved[qualified] = self._resolve(qualified, 0)
            return self._resolved[qualified]
        return self._resolve(qualified, hops)

    def _resolve(self, qualified: str, hops: int) -> Optional[Tuple[str, str, object]]:
        if qualified.startswith("?"):
            return None
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            path = self.by_module.get(".".join(parts[:cut]))
            if path is None:
                continue
            structure = self.structures[path]
            rest = parts[cut:]
            shape = next((c for c in structure.classes if c.name == rest[0]), None)
            if shape is not None:
                if len(rest) == 1:
                    return ("class", path, shape)
                if len(rest) == 2:
                    return ("method", path, (shape, rest[1]))
                return None
            if len(rest) == 1 and rest[0] in structure.functions:
                return ("function", path, rest[0])
            imported = structure.imported().get(rest[0])
            if imported is not None and hops < _MAX_ALIAS_HOPS:  # a re-export: `from .modeling import Net`
                target = ".".join([imported, *rest[1:]])
                if target != qualified:
                    return self.resolve(target, hops + 1)
            return None
        return None

    def module_verdict(self, qualified: str) -> Optional[bool]:
        """Is the class named ``qualified`` an nn.Module? None when nothing can tell."""
        if qualified in self._verdicts:
            return self._verdicts[qualified]
        self._verdicts[qualified] = None  # a cycle of bases resolves to "cannot tell"
        found = self.resolve(qualified)
        if found is not None and found[0] == "class":
            verdict = self.class_verdict(found[1], found[2])
        elif qualified.startswith("?"):
            verdict = None
        else:
            verdict = library_base_kind(qualified, self.module_bases)
        self._verdicts[qualified] = verdict
        return verdict

    def class_verdict(self, path: str, shape: ClassShape) -> Optional[bool]:
        key = (path, shape.name)
        if key in self._class_verdicts:
            return self._class_verdicts[key]
        self._class_verdicts[key] = None
        verdicts = [self.module_verdict(base) for base in shape.bases]
        if any(v is True for v in verdicts):
            verdict: Optional[bool] = True
        elif all(v is False for v in verdicts):
            verdict = False
        elif self.fallback and shape.forward_takes_self:
            verdict = True
        else:
            verdict = None
        self._class_verdicts[key] = verdict
        return verdict

    def _forward_of(self, path: str, shape: ClassShape, seen: Optional[Set[str]] = None) -> Optional[Target]:
        """Where the forward a class runs is defined: its own, or the nearest base's in the project."""
        if "forward" in shape.methods:
            return (path, f"{shape.name}.forward")
        seen = seen if seen is not None else set()
        for base in shape.bases:
            if base in seen:
                continue
            seen.add(base)
            found = self.resolve(base)
            if found is not None and found[0] == "class":
                target = self._forward_of(found[1], found[2], seen)
                if target is not None:
                    return target
        return None

    def _target(self, callee: str) -> Optional[Target]:
        found = self.resolve(callee)
        if found is None:
            return None
        kind, path, what = found
        if kind == "function":
            return (path, what)
        if kind == "method" and what[1] == "forward":
            return self._forward_of(path, what[0])
        return None

    def _signature(self, target: Target) -> Optional[Signature]:
        if target not in self._signatures:
            path, key = target
            self._signatures[target] = next((s for s in self.structures[path].signatures if s.key == key), None)
        return self._signatures[target]

    # Flows --------------------------------------------------------------
    def propagate(self, flows: Dict[str, FlowSummary]) -> None:
        """Kinds that cross files: what each traced call passes, followed through
        parameters passed on unchanged, until nothing changes. Each call starts afresh
        from ``flows`` (what the structures alone give is kept)."""
        self._roots = {}
        self._returns = {}
        self._returned = _known_returns(flows)
        raw_defaults: Dict[Target, tuple] = {}
        for path, summary in flows.items():
            for key, params in summary.defaults:
                raw_defaults[(path, key)] = params
        defaults: Dict[Target, Dict[str, Kind]] = {}  # converted when a passed-on parameter needs it

        def default_kind(caller: Target, source: str) -> Kind:
            table = defaults.get(caller)
            if table is None:
                table = defaults[caller] = {name: _kind(kind) for name, kind in raw_defaults.get(caller, ())}
            return table.get(source, Kind.UNKNOWN)

        # (caller, target, [(parameter, passed-on source or None, entry or None)]): each argument
        # bound to its parameter and its kind read once, not in every round below
        calls: List[Tuple[Target, Target, list]] = []
        returns_of: Dict[str, Dict[str, Tuple[str, str]]] = {}  # path -> key -> (kind, origin), last one wins
        for path, summary in sorted(flows.items()):
            for call in summary.calls:
                target = self._target(call.callee)
                if target is None or target[0] == path:
                    continue  # unknown, or in the same file: the file's own walk follows it
                signature = self._signature(target)
                if signature is None:
                    continue
                bound = []
                for slot, kind, origin in call.args:
                    name = _parameter_for(slot, signature)
                    if name is None:
                        continue
                    if kind.startswith(PASSED_ON):
                        bound.append((name, kind[len(PASSED_ON):], None))
                    else:
                        bound.append((name, None, Entry(_kind(kind), origin)))
                calls.append(((path, call.caller), target, bound))
                self._roots.setdefault(target[0], set()).add(target[1])
                returned = returns_of.get(target[0])
                if returned is None:
                    returned = returns_of[target[0]] = {
                        k: (v, o) for k, v, o in flows.get(target[0], FlowSummary()).returns
                    }
                if target[1] in returned and returned[target[1]][0] != Kind.UNKNOWN.value:
                    # Unknown is what an unresolved call gives anyway: not a fact, and no reason
                    # to analyse the caller again.
                    kind, origin = returned[target[1]]
                    self._returns.setdefault(path, {})[call.callee] = Entry(Kind(kind), origin)
        self._root_inherited_forwards()
        entries: Dict[Target, Dict[str, Entry]] = {}
        for _ in range(_MAX_ROUNDS):
            incoming: Dict[Target, Dict[str, List[Entry]]] = {}
            for caller, target, bound in calls:
                for name, source, entry in bound:
                    if source is not None:
                        entry = entries.get(caller, {}).get(source)
                        if entry is None:
                            entry = Entry(default_kind(caller, source))
                    incoming.setdefault(target, {}).setdefault(name, []).append(entry)
            new = {}
            for t, params in incoming.items():
                known = {n: join(es) for n, es in params.items()}
                known = {n: e for n, e in known.items() if e.kind is not Kind.UNKNOWN}  # unknown: the default
                if known:
                    new[t] = known
            if new == entries:
                break
            entries = new
        self._entries = entries
        self._entries_by_path = {}
        for (p, key), params in sorted(entries.items()):
            self._entries_by_path.setdefault(p, []).append((key, params))

    def _root_inherited_forwards(self) -> None:
        """A model that inherits forward from a class that is not a module itself
        (transformers' ``GenericForSequenceClassification`` mixins) runs that forward:
        it is traced in the file that defines it."""
        if self._inherited_roots is None:
            self._inherited_roots = list(self._inherited_forwards())
        for path, key in self._inherited_roots:
            self._roots.setdefault(path, set()).add(key)

    def _inherited_forwards(self) -> Iterable[Target]:
        for path, structure in self.structures.items():
            for shape in structure.classes:
                if "forward" in shape.methods or self.class_verdict(path, shape) is not True:
                    continue
                target = self._forward_of(path, shape)
                if target is not None:
                    found = self.resolve(f"{self.structures[target[0]].module}.{target[1].split('.')[0]}")
                    if found is not None and found[0] == "class" and not self.class_verdict(target[0], found[2]):
                        yield target

    def rooted_paths(self) -> List[str]:
        """Files holding functions that traced code elsewhere runs."""
        return sorted(self._roots)

    # Export sites -------------------------------------------------------------
    def exported_class(self, path: str, site: ExportSite) -> Optional[Tuple[str, ClassShape]]:
        """(file, class) a site of ``path`` exports: a class of that file, or one its imports
        name (through re-exports); None when the site's model is not a class of the project."""
        if not site.model:
            return None
        own = next((c for c in self.structures[path].classes if c.name == site.model), None)
        if own is not None:
            return (path, own)
        found = self.resolve(site.model)
        return (found[1], found[2]) if found is not None and found[0] == "class" else None

    def foreign_sites(self, path: str) -> Tuple[Tuple[str, ExportSite], ...]:
        """Export calls in other files of the classes ``path`` defines, each named as that file
        names the class. Files in path order, calls in source order: with the file's own sites
        first, the first call of a class is the one that declares its dims (shapes.py)."""
        if self._foreign_sites is None:
            found: Dict[str, List[Tuple[str, ExportSite]]] = {}
            for caller in sorted(self.structures, key=os.path.abspath):
                for site in self.structures[caller].sites:
                    target = self.exported_class(caller, site)
                    if target is not None and target[0] != caller:
                        named_here = replace(site, model=target[1].name)
                        found.setdefault(target[0], []).append((shown_path(caller), named_here))
            self._foreign_sites = found
        return tuple(self._foreign_sites.get(path, ()))

    def site_models(self, path: str) -> Tuple[Tuple[str, Tuple[str, ...], Tuple[Tuple[str, str], ...]], ...]:
        """forward's parameters and literal defaults of the models ``path``'s export calls take from
        other files: what its site rules need to name the inputs and see the defaults left out."""
        structure = self.structures.get(path)
        found = {}
        for site in structure.sites if structure is not None else ():
            target = self.exported_class(path, site)
            forward = self._forward_of(*target) if target is not None and target[0] != path else None
            signature = self._signature(forward) if forward is not None else None
            if signature is not None:
                found[site.model] = (signature.positional + signature.keyword_only, signature.literal_defaults)
        return tuple((model, params, defaults) for model, (params, defaults) in sorted(found.items()))

    def _returns_for(self, path: str) -> Dict[str, Entry]:
        """What the callees of ``path`` in other files return: those its traced code was seen
        calling, and the functions and modules it imports from files analysed already (so a file
        analysed after the files it imports from knows their helpers' returns at once)."""
        returns = dict(self._returns.get(path, {}))
        for callee, target in self._callees_imported_by(path):
            found = self._returned.get(target) or self._provisional.get(target)
            if callee not in returns and found is not None:
                returns[callee] = Entry(Kind(found[0]), found[1])
        return returns

    def context_functions_imported_by(self, paths: Sequence[str], linted: Set[str]) -> Dict[str, Set[str]]:
        """Top-level functions of files neither linted nor in ``paths`` that ``paths`` import,
        by file: their return kinds are wanted before the importers are analysed."""
        wanted = set(paths)
        found: Dict[str, Set[str]] = {}
        for path in paths:
            structure = self.structures.get(path)
            for _, qualified in structure.imports if structure is not None else ():
                resolved = self.resolve(qualified)
                if resolved is None or resolved[0] != "function":
                    continue
                where, key = resolved[1], resolved[2]
                if where not in linted and where not in wanted:
                    found.setdefault(where, set()).add(key)
        return found

    def set_provisional_returns(self, flows: Dict[str, FlowSummary]) -> None:
        self._provisional = _known_returns(flows)

    def _callees_imported_by(self, path: str) -> List[Tuple[str, Target]]:
        """(name as a call in ``path`` qualifies it, function run) for each import of ``path``
        that is a function of another project file, or a module class (its forward)."""
        found = self._imported_callees.get(path)
        if found is None:
            found = []
            structure = self.structures.get(path)
            for _, qualified in structure.imports if structure is not None else ():
                for callee in (qualified, f"{qualified}.forward"):
                    target = self._target(callee)
                    if target is not None and target[0] != path:
                        found.append((callee, target))
                        break
            self._imported_callees[path] = found
        return found

    # Facts for one file -------------------------------------------------------
    def facts_for(self, path: str) -> ExternalFacts:
        static = self._static_facts.get(path)
        if static is None:  # what the structures alone give: the same in every round
            structure = self.structures.get(path)
            bases: Dict[str, Optional[bool]] = {}
            if structure is not None:
                for shape in structure.classes:
                    for name in list(shape.bases) + [made for _, made in shape.submodules]:
                        if not name.startswith(f"{structure.module}.") and not name.startswith("?"):
                            bases[name] = self.module_verdict(name)
            static = self._static_facts[path] = (
                tuple(sorted(bases.items(), key=lambda b: b[0])), self.foreign_sites(path), self.site_models(path)
            )
        bases_found, sites, site_models = static
        entries = tuple(
            (key, tuple(sorted((name, e.kind.value, e.origin) for name, e in params.items())))
            for key, params in self._entries_by_path.get(path, ())
        )
        returns = tuple(sorted(
            (callee, e.kind.value, e.origin) for callee, e in self._returns_for(path).items()
        ))
        roots = tuple(sorted(self._roots.get(path, ())))
        return ExternalFacts(bases_found, entries, returns, roots, sites, site_models)


def _known_returns(flows: Dict[str, FlowSummary]) -> Dict[Target, Tuple[str, str]]:
    """(kind, origin) each walked function returns, where its kind is known."""
    return {
        (path, key): (kind, origin)
        for path, summary in flows.items() for key, kind, origin in summary.returns
        if kind != Kind.UNKNOWN.value
    }


def shown_path(path: str) -> str:
    """A path as messages show it, the same whichever way the run was given it
    (`./scripts/export.py` and `scripts/export.py`): relative to the working directory when under it."""
    relative = os.path.relpath(path)
    return os.path.abspath(path) if relative.startswith("..") else relative


_KINDS = {kind.value: kind for kind in Kind}


def _kind(value: str) -> Kind:
    """Kind(value), without the enum's lookup machinery (called for every argument of every call)."""
    found = _KINDS.get(value)
    return found if found is not None else Kind(value)


def _parameter_for(slot: str, signature: Signature) -> Optional[str]:
    if slot.isdigit():
        index = int(slot)
        return signature.positional[index] if index < len(signature.positional) else None
    if slot in signature.positional or slot in signature.keyword_only:
        return slot
    return None
