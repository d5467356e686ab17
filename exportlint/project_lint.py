"""Lint files as the project sees them: every file's structure first, then each
linted file with what the rest of the project says about it.

1. Structure (``ast``, cheap) of every file of each linted file's project:
   the linted files and the others under the project root ("context").
2. The project index resolves bases, re-exports and callees across files and
   gives each file its facts (which imported classes are modules, ...).
3. Each linted file, and each context file holding traced code, is analysed
   with its facts (one LibCST parse); the walk reports what its traced code
   passes to other files. Files are analysed after the files they import from,
   so the return kinds of those files' helpers are known when they are; the
   functions they import from context files are walked ahead for the same
   reason (their return kinds only).
4. Those flows give new facts (kinds passed across files, helpers traced
   from elsewhere, what imported helpers return); files whose facts changed
   are analysed again, until nothing changes (a few rounds at most). A change
   in the return kind of a callee the analysis never asked about is no change.

Every step is cached by file content (and, for analyses, by the digest of the
facts used), so a warm run reads and hashes files and parses nothing.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import os
import warnings
from contextlib import contextmanager
from dataclasses import replace
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from exportlint.analysis.facts import NO_FACTS, NO_FLOWS, ExternalFacts, FlowSummary, same_for
from exportlint.analysis.modules import module_name, project_root
from exportlint.analysis.project import ProjectIndex, shown_path
from exportlint.analysis.site_data import may_hold_export_site
from exportlint.analysis.structure import FileStructure, read_structure
from exportlint.diagnostic import Diagnostic, Severity
from exportlint.files import discover, is_notebook
from exportlint.reading import OversizeFile, Unreadable, read_regular_file
from exportlint.runner import default_jobs, map_jobs
from exportlint.source import UndecodableSource, decode

_MAX_ROUNDS = 3
_MAX_STRUCTURE_SIZE = 8 * 1024 * 1024


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


# Jobs (run in worker processes for large runs) -----------------------------------
def structure_job(path: str, settings) -> Tuple[Optional[str], Optional[list]]:
    """(digest of the bytes read, structure as JSON) or (digest, None) when it cannot be read."""
    try:
        data = read_regular_file(path, _MAX_STRUCTURE_SIZE)
    except (Unreadable, OversizeFile):
        return None, None
    return structure_of_bytes(path, data)


def structure_of_bytes(path: str, data: bytes) -> Tuple[str, Optional[list]]:
    try:
        text = decode(data)
    except UndecodableSource:
        return _digest(data), None
    return structure_of_text(path, text, _digest(data))


def structure_of_text(path: str, text: str, digest: str) -> Tuple[str, Optional[list]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings of user code are not ours to print
            tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return digest, None
    module, is_package = module_name(path)
    structure = read_structure(tree, module, is_package)
    if may_hold_export_site(text):  # scripts and tests that export a model of another file
        from exportlint.analysis.shapes import sites_of_text  # LibCST, for the few files that export

        structure = structure.with_sites(sites_of_text(text, module, is_package))
    return digest, structure.to_json()


def analysis_job(
    job: Tuple[str, ExternalFacts, Optional[str], bool, bool], settings
) -> Tuple[Optional[str], List[Diagnostic], list]:
    """(digest of the bytes linted, findings, flows as JSON) for one file and its facts;
    the file is read here unless its text is given (flake8 and editors hand it over).
    With ``flows_only`` (a context file: its findings are never shown) no rule runs and
    the findings are empty; with ``fixes`` (an editor's code actions) the findings carry fixes."""
    from exportlint.engine import analyse_bytes, analyse_text, read_for_lint  # LibCST only on a miss

    path, facts, text, flows_only, fixes = job
    if text is not None:
        analysis = analyse_text(text, path, settings, facts, flows_only=flows_only, fixes=fixes)
        return _digest(text.encode("utf-8", "surrogatepass")), analysis.diagnostics, analysis.flows.to_json()
    data, problem = read_for_lint(path, settings)
    if problem is not None:
        return None, [problem], NO_FLOWS.to_json()
    analysis = analyse_bytes(data, path, settings, facts, flows_only=flows_only, fixes=fixes)
    return _digest(data), analysis.diagnostics, analysis.flows.to_json()


def _structure_failed(path: str, reason: str) -> Tuple[Optional[str], Optional[list]]:
    return None, None  # the file is analysed next, where its own failure is reported


def _analysis_failed(job: Tuple[str, ExternalFacts, Optional[str], bool, bool], reason: str):
    from exportlint.engine import INTERNAL_ERROR

    message = reason if reason.startswith("internal error") else f"{reason} while linting this file; file not linted"
    return None, [Diagnostic(job[0], 1, 1, INTERNAL_ERROR, message, Severity.ERROR)], NO_FLOWS.to_json()


# The run ------------------------------------------------------------------------
@contextmanager
def _collector_paused() -> Iterator[None]:
    """The automatic garbage collector off while the project is loaded and analysed.

    Loading builds hundreds of thousands of small containers (the project record's
    JSON, every file's structure, the cached analyses' flows) that reference counting
    frees: none is cyclic garbage, yet the collector would scan the growing heap again
    and again (a warm run's JSON decoding took ~5x as long with it on). Analysis jobs run
    here collect once per job (runner.map_jobs)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class ProjectRun:
    def __init__(
        self, linted: Sequence[str], settings, jobs: Optional[int] = None, cache=None,
        given: Optional[Dict[str, str]] = None, given_cached: bool = False,
    ) -> None:
        self.linted = list(linted)
        self._linted_set = set(self.linted)
        self.given = dict(given or {})  # path -> text to lint instead of the file's (an editor's buffer)
        # Whether a given text's findings may come from (and go to) the cache, keyed by the text's
        # digest as any file's: yes for flake8, which shows no fixes; no for the language server,
        # whose code actions need the fixes the cache does not keep.
        self.given_cached = given_cached
        self.settings = settings
        self.jobs = default_jobs() if jobs is None else max(1, jobs)
        self.cache = cache
        self.structures: Dict[str, FileStructure] = {}
        self.digests: Dict[str, str] = {}
        # path -> (findings, flows, the facts it was analysed with)
        self.results: Dict[str, Tuple[List[Diagnostic], FlowSummary, ExternalFacts]] = {}
        self._untraced: set = set()  # linted files left unanalysed: CPython parsed them, no class has forward
        self.roots: List[str] = []  # the linted files' project roots

    def context_files(self) -> List[str]:
        """The other files of the linted files' projects."""
        linted = {os.path.abspath(p) for p in self.linted}
        # A path with no file behind it (stdin, an editor buffer never saved) has no project.
        on_disk = [p for p in self.linted if os.path.isfile(p)]
        roots = sorted({root for root in (project_root(p) for p in on_disk) if root is not None})
        self.roots = [os.path.abspath(root) for root in roots]
        excludes = self.settings.exclude + self.settings.extend_exclude
        found = []
        for root in roots:
            for path in discover([shown_path(root)], excludes):
                if os.path.abspath(path) not in linted and path.endswith(".py"):
                    found.append(path)
        return found

    def run(self) -> Iterator[List[Diagnostic]]:
        with _collector_paused():
            self._run()
        for path in self.linted:
            yield self.results[path][0] if path in self.results else []

    def _run(self) -> None:
        context = self.context_files()
        everything = self.linted + context
        self._read_structures(everything)
        index = self._index()
        holding = [p for p in context if self._holds_traced_code(p, index)]
        to_analyse = [p for p in self.linted if self._may_hold_findings(p)] + index.importers_cone(self.linted, holding)
        for path in self.linted:
            if path not in self.results and not self._may_hold_findings(path):
                # Parsed by CPython without error and no class defines forward: nothing to trace
                # unless the project says otherwise (a helper traced from elsewhere, next round).
                self.results[path] = ([], NO_FLOWS, NO_FACTS)
                self._untraced.add(path)
        self._provisional_returns(index, to_analyse)
        for number, batch in enumerate(index.provider_batches(to_analyse)):
            if number:  # what the files analysed so far return, pass and trace
                index.propagate({p: flows for p, (_, flows, _) in self.results.items()})
            self._analyse(batch, {path: index.facts_for(path) for path in batch})
        for round_number in range(1, _MAX_ROUNDS + 1):
            index.propagate({p: flows for p, (_, flows, _) in self.results.items()})
            facts = {}
            for path in set(self.results) | set(index.rooted_paths()):
                new = index.facts_for(path)
                if path in self._untraced and not new.roots:
                    continue  # still nothing traced in it: its bases alone change nothing
                if path not in self.results or not same_for(self.results[path][1], self.results[path][2], new):
                    facts[path] = new
                    self._untraced.discard(path)
            if not facts:
                break
            changed = sorted(facts)
            if round_number == _MAX_ROUNDS:  # nothing is propagated after it: a context file's flows go unused
                changed = [p for p in changed if not self._flows_only(p)]
            self._analyse(changed, facts)

    def _provisional_returns(self, index: ProjectIndex, to_analyse: Sequence[str]) -> None:
        """What the functions the analysed files import from context files return, before any
        of those files is analysed: each such context file is walked (flows only) from those
        functions. Only their return kinds are used, as long as no real analysis of the file
        gives them: the calls they make are not propagated, since the importer may not call them
        from traced code. Without it a project's utility module is analysed once the models have
        called into it, and every model that reads a return of it again."""
        imported = index.context_functions_imported_by(to_analyse, self._linted_set)
        if not imported:
            return
        facts = {}
        for path, keys in imported.items():
            base = index.facts_for(path)
            facts[path] = replace(base, roots=tuple(sorted(set(base.roots) | keys)))
        walked: Dict[str, Tuple[List[Diagnostic], FlowSummary, ExternalFacts]] = {}
        self._analyse(sorted(imported), facts, into=walked)
        index.set_provisional_returns({path: flows for path, (_, flows, _) in walked.items()})

    def _index(self) -> ProjectIndex:
        """One index for the whole run: the structures do not change between rounds, and
        what it answers from them alone (bases, re-exports, verdicts) is kept."""
        return ProjectIndex(self.structures, self.settings.module_bases, self.settings.unresolved_bases_are_modules)

    def _may_hold_findings(self, path: str) -> bool:
        """A linted file is analysed unless CPython parsed it, no class of it defines forward and
        it calls no export (a file that cannot be read, decoded or parsed goes on, to be reported)."""
        if is_notebook(path):
            return True  # refused by the engine, with a finding that says so
        structure = self.structures.get(path)
        return structure is None or bool(structure.sites) or any(
            "forward" in shape.methods for shape in structure.classes
        )

    def _holds_traced_code(self, path: str, index: ProjectIndex) -> bool:
        structure = self.structures.get(path)
        if structure is None:
            return False
        return any(
            shape.forward_takes_self and index.class_verdict(path, shape) is True for shape in structure.classes
        )

    # Structures ---------------------------------------------------------------
    def _read_structures(self, paths: Sequence[str]) -> None:
        """Every file's structure: from the project's record (one cache entry for all of
        them), else from the file's own entry, else read now (ast). The record is written
        again when some file's entry was not in it: an edited, new or renamed file."""
        misses = []
        for path, text in self.given.items():
            digest, structure = structure_of_text(path, text, _digest(text.encode("utf-8", "surrogatepass")))
            self.digests[path] = digest
            if structure is not None:
                self.structures[path] = FileStructure.from_json(structure)
        record_name = "|".join(self.roots)
        record = self.cache.project_structures(record_name) if self.cache is not None and self.roots else {}
        kept: Dict[str, list] = {}  # the record to write: this run's files' entries
        for path in paths:
            if path in self.given:
                continue
            found = self._cached_structure(path, record, kept)
            if found is None:
                misses.append(path)
            elif found[1] is not None:
                self.structures[path] = found[1]
        results = map_jobs(structure_job, misses, self.settings, self.jobs, _structure_failed)
        for path, (digest, data) in zip(misses, results):
            if digest is None:
                continue
            self.digests[path] = digest
            key = self._structure_key(path, digest)
            if self.cache is not None:
                self.cache.store_entry(key, data)
            kept[key] = [data]
            if data is not None:
                self.structures[path] = FileStructure.from_json(data)
        if record_name and self.cache is not None and not kept.keys() <= record.keys():
            self.cache.store_project_structures(record_name, kept)

    def _structure_key(self, path: str, digest: str) -> str:
        module, is_package = module_name(path)
        return f"structure:{digest}:{module}:{int(is_package)}"

    def _cached_structure(
        self, path: str, record: dict, kept: Dict[str, list]
    ) -> Optional[Tuple[str, Optional[FileStructure]]]:
        if self.cache is None:
            return None
        digest = self.cache.digest(path)
        if digest is None:
            return None
        self.digests[path] = digest
        key = self._structure_key(path, digest)
        entry = record.get(key)
        if entry is not None:
            try:
                structure = None if entry[0] is None else FileStructure.from_json(entry[0])
            except (TypeError, ValueError):
                structure = False  # an entry of the wrong shape: the file's own entry, or a miss
            if structure is not False:
                kept[key] = entry
                return digest, structure
        if not self.cache.has(key):
            return None
        structure = self.cache.lookup(key)
        kept[key] = [structure.to_json() if structure is not None else None]
        return digest, structure

    # Analyses -----------------------------------------------------------------
    def _analysis_key(self, path: str, digest: str, facts: ExternalFacts, flows_only: bool = False) -> str:
        """Findings and flows of a linted file; for a context file (``flows_only``) its flows
        alone, under a key of their own: empty findings must never stand for a linted file's."""
        module, is_package = module_name(path)
        kind = "analysis:flows" if flows_only else "analysis"
        return f"{kind}:{digest}:{module}:{int(is_package)}:{facts.digest()}"

    def _wants_fixes(self, path: str) -> bool:
        """A text handed over by the language server: its code actions are the findings' fixes."""
        return path in self.given and not self.given_cached

    def _flows_only(self, path: str) -> bool:
        """A context file: only its flows matter (its findings are never shown)."""
        return path not in self._linted_set

    def _analyse(self, paths: Sequence[str], facts: Dict[str, ExternalFacts], into: Optional[dict] = None) -> None:
        """Results of ``paths`` with their facts, into ``self.results`` (or ``into``)."""
        into = self.results if into is None else into
        misses = []
        for path in paths:
            digest = self.digests.get(path)
            # A text handed over for its fixes (the language server) is analysed afresh: fixes are not cached.
            fresh = digest is None or (path in self.given and not self.given_cached)
            cached = None if fresh else self._cached_analysis(path, digest, facts[path])
            if cached is not None:
                into[path] = (cached[0], cached[1], facts[path])
            else:
                misses.append(path)
        jobs = [
            (path, facts[path], self.given.get(path), self._flows_only(path), self._wants_fixes(path))
            for path in misses
        ]
        results = map_jobs(analysis_job, jobs, self.settings, self.jobs, _analysis_failed)
        for (path, fact, _, flows_only, _), (digest, found, flows) in zip(jobs, results):
            summary = FlowSummary.from_json(flows)
            into[path] = (found, summary, fact)
            cacheable = digest is not None and self.cache is not None and (
                path not in self.given or self.given_cached
            )
            if cacheable and not any(d.code in _NOT_CACHED for d in found):
                self.cache.store_entry(self._analysis_key(path, digest, fact, flows_only), [_encode(found), flows])

    def _cached_analysis(self, path: str, digest: str, facts: ExternalFacts):
        if self.cache is None:
            return None
        data = None
        if self._flows_only(path):  # its flows alone, else a whole analysis (when another run linted it)
            data = self.cache.lookup(self._analysis_key(path, digest, facts, flows_only=True))
        if data is None:
            data = self.cache.lookup(self._analysis_key(path, digest, facts))
        if data is None:
            return None
        findings, flows = data  # checked when loaded (cache.py)
        return _decode(path, findings), flows


_NOT_CACHED = {"EXP001", "EXP002"}  # internal errors and timeouts may not recur


def _encode(found: List[Diagnostic]) -> list:
    return [[d.line, d.column, d.code, d.message, d.severity.value, d.end_line, d.end_column, d.case] for d in found]


def _decode(path: str, rows: list) -> List[Diagnostic]:
    return [
        Diagnostic(
            path, int(line), int(col), str(code), str(msg), Severity(sev), int(end_line), int(end_col), str(case)
        )
        for line, col, code, msg, sev, end_line, end_col, case in rows
    ]


def lint_project(
    paths: Sequence[str], settings, jobs: Optional[int] = None, cache=None, given: Optional[Dict[str, str]] = None,
    given_cached: bool = False,
) -> Iterator[List[Diagnostic]]:
    """Findings per linted file, in the order of ``paths``; ``given``: texts to lint instead of the
    files' (editors' buffers), their findings cached too when ``given_cached`` (no fixes wanted)."""
    return ProjectRun(paths, settings, jobs, cache, given, given_cached).run()
