"""Rapid Type Analysis (Bacon & Sweeney, 1996) as golang.org/x/tools/go/callgraph/rta does it,
over the syntax: the call graph of what a program's `main` and package initialisers reach.

Starting from the roots, each reachable function's body is walked once (`resolve/walk.py`, with
`resolve/runtime.py` recording what RTA needs), reading the bodies of dependencies and of the
standard library as they become reachable: the packages of newly reached functions are read again
with their bodies in one batch whenever the functions whose bodies are at hand run out. Then:

- a static call is an edge to its callee, which becomes reachable;
- a call through an interface goes to the method of every *runtime type* that implements the
  interface: a type reachable code converts to an interface, closed as x/tools closes it (its
  pointer, the types of its fields and elements, the parameters and results of its exported
  methods); every exported method of a runtime type is reachable (reflection may call it);
- a call through a func value goes to every *address-taken* function of the same signature: a
  function, method value, method expression or closure that reachable code uses as a value; a
  method value of an interface (`loader.Load`) is x/tools' bound thunk invoking the method, which
  its callgraph splices into the callers: the call invokes the method as an interface call would.

Soundness: as sound as x/tools' RTA where the resolver knows the types involved; it misses what
the syntax walk cannot type (generic code, conversions whose expected type is unknown, values
reaching an interface through `var a, b I = f()`, a method called on an interface literal
that embeds the interface declaring it), the calls cgo generates, functions reached only
through reflection's `Value.Call`, and the branches behind functions whose bodies cannot be
read: those end at the function (listed in `RTAResult.missing`, never an error). A method a
runtime type promotes from an embedded interface is x/tools' synthetic wrapper, spliced into its
callers as x/tools' callgraph prints it (`rta_types.py`: a runtime `struct{ io.Reader; io.Closer }`
makes every `Close()` of an `io.ReadCloser` reach every runtime type's `Close`).
Precision: RTA's, i.e. coarse: a dynamic call reaches every matching function or type of the
whole reachable program, whatever flows to it; an interface declared inside a function body is
matched by its method names only. Measured against `callgraph -algo=rta` (Go 1.19, x/tools
0.5.0) over the callers of the program's own packages: precision/recall 1.00/1.00 on cmd/gofmt
and cmd/doc, 0.998/0.999 on cmd/vet, 0.985/0.992 on cmd/go, 0.999/0.995 on containerd v1.6.20's
cmd/containerd (the same over the whole program; bench/rta.py).

Preconditions: `program` holds every package the roots import (loaded as skeletons at least);
bodies are read through `reload`, which must return the program with the given packages' bodies
(default: the loader's cached re-scan, `loader.rescan_with_bodies`).
"""

from __future__ import annotations

__all__ = ["RTAResult", "rapid_type_analysis", "reload_with_bodies"]

import dataclasses
import logging
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from goanalyzer.analysis.callgraph import CallGraph, Site
from goanalyzer.analysis.rta_types import RuntimeTypes
from goanalyzer.errors import UsageError
from goanalyzer.loader import LoadOptions, paused_gc, rescan_with_bodies
from goanalyzer.model import Diagnostic, Severity
from goanalyzer.naming import init_name, package_in
from goanalyzer.program import FuncInfo, Program
from goanalyzer.resolve.callees import NO_CALL_PACKAGES
from goanalyzer.resolve.initorder import imported_packages, package_inits
from goanalyzer.resolve.refs import InterfaceCall, LocalCall, StaticCall
from goanalyzer.resolve.runtime import RuntimeRecorder
from goanalyzer.resolve.sites import CallSite, Rule, Sites
from goanalyzer.resolve.types import Types
from goanalyzer.resolve.walk import Walker

log = logging.getLogger("goanalyzer")

Reload = Callable[[Program, list[str]], Program]
"""(program, package paths) -> the program with those packages' function bodies read."""


@dataclass(slots=True)
class RTAResult:
    """What Rapid Type Analysis found."""

    graph: CallGraph
    """The call graph of the reachable functions (x/tools names; rules static, interface, funcvalue)."""
    program: Program
    """The program with the bodies of the reached packages read."""
    reachable: frozenset[str]
    runtime_types: frozenset
    """The runtime types, as `resolve.runtime.freeze`d resolved types."""
    missing: tuple[str, ...]
    """Reachable functions whose body could not be read (package not found, or not parsed): their
    branch of reachability ends there."""
    diagnostics: list[Diagnostic]


def reload_with_bodies(program: Program, packages: list[str]) -> Program:
    """The program with these packages' function bodies read too (the loader's cached re-scan)."""
    options = program.load_options or LoadOptions()
    options = dataclasses.replace(options, into=tuple(sorted({*options.into, *packages})))
    with paused_gc():
        loaded = rescan_with_bodies(program.workspace, program.packages, options)
        return Program(program.workspace, loaded, program.externals, program.diagnostics, program.stats, options)


def rapid_type_analysis(program: Program, roots: Iterable[str] | None = None,
                        reload: Reload | None = reload_with_bodies) -> RTAResult:
    """The RTA call graph from `roots` (default: `main` and `init` of each main package under
    PATH). With `reload=None` no body is read beyond those already loaded."""
    if roots is None:
        roots = [name for package in program.root_packages() if package.name == "main"
                 for name in (f"{package.path}.init", f"{package.path}.main")]
        if not roots:
            raise UsageError("Rapid Type Analysis starts from a main package: there is none under PATH")
    with paused_gc():  # the walk makes millions of small acyclic objects: the collector would double its time
        analysis = _Analysis(program, reload)
        for root in roots:
            analysis.reach(root)
        analysis.run()
        return analysis.result()


class _Analysis:
    """The worklist: reachable functions to visit, and the two matrices x/tools keeps (runtime
    types x interface call sites, address-taken functions x func-value call sites)."""

    def __init__(self, program: Program, reload: Reload | None):
        self.program = program
        self.reload = reload
        self.recorder = RuntimeRecorder()
        self.sites = Sites()
        self.walker = self._walker()
        self.reachable: set[str] = set()
        self.worklist: deque[str] = deque()
        self.pending: dict[str, list[str]] = {}
        """Package -> reached functions waiting for its bodies."""
        self.reloaded: set[str] = set()
        self.inits_linked: set[str] = set()
        """Packages whose `P.init` has its synthetic calls."""
        self.calls_of: dict[str, list[CallSite]] = {}
        self.missing: set[str] = set()
        self.edges: dict[tuple[str, str], list[Any]] = {}
        """(caller, callee) -> [rule, go, defer, its site or list of sites]: a small list while the
        walk runs (a large program has half a million edges), the graph's dicts at the end."""
        self.taken_by_sig: dict[Any, set[str]] = {}
        self.invokes_by_sig: dict[Any, set[tuple[Any, str]]] = {}
        """Signature -> the (interface, method) of interface method values taken (`loader.Load`)."""
        self._display: dict[str, str] = {}
        """File -> its display path (asked once per edge otherwise)."""
        self.dynamic_sites: dict[Any, list[CallSite]] = {}
        self._last_site: tuple[CallSite | None, str, Site | None] = (None, "", None)
        """The last edge's (call, rule, site): one call reaching many callees shares its site."""
        self.types = RuntimeTypes(self.walker.types, self.reach, self._invoke_edge)

    def _walker(self) -> Walker:
        walker = Walker(self.program, Types(self.program), self.sites)
        walker.runtime = self.recorder
        return walker

    # -------------------------------------------------------------- worklist
    def reach(self, name: str) -> None:
        if name not in self.reachable:
            self.reachable.add(name)
            self.worklist.append(name)

    def run(self) -> None:
        while True:
            while self.worklist:
                self._visit(self.worklist.popleft())
            batch = sorted(p for p in self.pending if p not in self.reloaded)
            if not batch or self.reload is None:
                break
            log.debug("rta: reading the bodies of %d packages", len(batch))
            self.program = self.reload(self.program, batch)
            self.reloaded.update(batch)
            self.walker = self._walker()
            self.types.retarget(self.walker.types)
            for package in batch:
                self.worklist.extend(self.pending.pop(package))
        for names in self.pending.values():
            self.missing.update(names)

    def _visit(self, name: str) -> None:
        if name in self.sites.closures:
            self._visit_facts(name)
            return
        package = package_in(name, self.program.packages)  # `gopkg.in/yaml.v2.init`
        info = self.program.packages.get(package)
        if info is not None and name == init_name(package):
            self._visit_package_init(package)
            return
        function = self.program.funcs.get(name)
        if function is None:
            if package not in NO_CALL_PACKAGES:  # `P.init -> unsafe.init`: nothing to read there
                self.missing.add(name)
            return
        if function.decl.body is None:
            if not function.file.with_bodies:
                self.pending.setdefault(function.package, []).append(name)
            return  # declared without a body (assembly, linkname): a leaf, as in x/tools
        start = len(self.sites.calls)
        read_before = function.unpacked is not None
        self.walker.function(function)
        self._forget(function, read_before)
        self._index_calls(start)
        self._visit_facts(name)

    def _forget(self, function: FuncInfo, read_before: bool) -> None:
        """A body is walked once: the IR this walk unpacked goes (a large program's bodies would
        otherwise all be held unpacked at the end; one another analysis read stays, its readers
        match closures by identity). The walker's literal maps, keyed by the identity of that IR,
        go with it (only the walk of the same body looks them up)."""
        if not read_before:
            function.forget_body()
        self.walker.lit_names.clear()
        self.walker.lit_ids.clear()

    def _visit_package_init(self, package: str) -> None:
        """`P.init`: the imported packages' initialisers, the var initialisers, `P.init#N`. The
        synthetic calls need no body: the whole init chain is known before the first batch."""
        caller = init_name(package)
        if package not in self.inits_linked:
            self.inits_linked.add(package)
            synthetic = [init_name(q) for q in imported_packages(self.program, package)]
            for callee in (*synthetic, *package_inits(self.program, package)):
                self._edge(CallSite(caller, "", 0, 0, StaticCall(callee)), callee, Rule.STATIC)
        files = self.program.packages[package].files
        specs = [(facts, spec) for facts in sorted(files, key=lambda f: f.path) for spec in facts.values
                 if spec.values and any(v and v[0] != "basic" for v in spec.values)]
        if specs and not all(f.with_bodies for f in files):
            self.pending.setdefault(package, []).append(caller)
            return
        start = len(self.sites.calls)
        for facts, spec in specs:
            self.walker.package_var(caller, spec, facts)
        self._index_calls(start)
        self._visit_facts(caller)

    def _index_calls(self, start: int) -> None:
        for call in self.sites.calls[start:]:
            self.calls_of.setdefault(call.caller, []).append(call)

    def _visit_facts(self, caller: str) -> None:
        """The calls, conversions and functions taken of one walked function."""
        for call in self.calls_of.get(caller, ()):
            self._dispatch(call)
        for rt in sorted(self.recorder.converted.get(caller, ()), key=repr):
            self.types.add(rt)
        for name, signature in sorted(self.recorder.taken.get(caller, {}).items()):
            self._take(name, signature)
        for (iface, method), signature in sorted(self.recorder.taken_invokes.get(caller, {}).items(), key=repr):
            self._take_invoke(iface, method, signature)

    # --------------------------------------------------------------- edges
    def _dispatch(self, call: CallSite) -> None:
        target = call.target
        if isinstance(target, StaticCall):
            self._edge(call, target.callee, Rule.STATIC)
        elif isinstance(target, InterfaceCall):
            self.types.invoke(call)
        elif isinstance(target, LocalCall) and target.var.assignments == 1 and not target.var.captured:
            for callee in sorted(f for f in target.var.funcs if isinstance(f, str)):
                self._edge(call, callee, Rule.STATIC)  # SSA sees through a local assigned once
        else:
            signature = self.recorder.dynamic.get((call.caller, call.line, call.col))
            if signature is None:
                return
            self.dynamic_sites.setdefault(signature, []).append(call)
            for callee in sorted(self.taken_by_sig.get(signature, ())):
                self._edge(call, callee, Rule.FUNCVALUE)
            for iface, method in sorted(self.invokes_by_sig.get(signature, ()), key=repr):
                self._invoke_through(call, iface, method)

    def _take(self, name: str, signature: Any) -> None:
        """`name` is used as a value: every call through a value of its signature may reach it."""
        taken = self.taken_by_sig.setdefault(signature, set())
        if name in taken:
            return
        taken.add(name)
        for call in self.dynamic_sites.get(signature, ()):
            self._edge(call, name, Rule.FUNCVALUE)

    def _take_invoke(self, iface: Any, method: str, signature: Any) -> None:
        """A method value of an interface (`loader.Load`) is taken: every call through a value of
        its signature invokes the method, as x/tools' callgraph prints the bound thunk spliced."""
        taken = self.invokes_by_sig.setdefault(signature, set())
        if (iface, method) in taken:
            return
        taken.add((iface, method))
        for call in self.dynamic_sites.get(signature, ()):
            self._invoke_through(call, iface, method)

    def _invoke_through(self, call: CallSite, iface: Any, method: str) -> None:
        self.types.invoke(CallSite(call.caller, call.file, call.line, call.col, InterfaceCall(iface, method),
                                   call.go, call.defer))

    def _invoke_edge(self, call: CallSite, callee: str) -> None:
        self._edge(call, callee, Rule.INTERFACE)

    def _edge(self, call: CallSite, callee: str, rule: str) -> None:
        """An edge (half a million on a large program: the reach and the site are inlined)."""
        if callee not in self.reachable:
            self.reachable.add(callee)
            self.worklist.append(callee)
        last_call, last_rule, site = self._last_site
        if call is not last_call or rule != last_rule or site is None:
            # one Site for the run of edges of an interface or func-value call reaching many callees
            site = Site(self._where(call.file), call.line, call.col, rule, call.go, call.defer)
            self._last_site = (call, rule, site)
        data = self.edges.get((call.caller, callee))
        if data is None:
            self.edges[call.caller, callee] = [rule, call.go, call.defer, site]
            return
        sites = data[3]
        if isinstance(sites, Site):
            if sites == site:
                return
            data[3] = [sites, site]
        elif site in sites:
            return
        else:
            sites.append(site)
        data[1] = data[1] or call.go
        data[2] = data[2] or call.defer
        if rule == Rule.STATIC:
            data[0] = Rule.STATIC

    def _where(self, path: str) -> str:
        where = self._display.get(path)
        if where is None:
            where = self._display[path] = self.program.display_path(path) if path else ""
        return where

    # -------------------------------------------------------------- result
    def result(self) -> RTAResult:
        nodes: dict[str, dict[str, Any]] = {}
        for name in sorted(self.reachable):
            nodes[name] = self._node(name)
        runtime = frozenset(self.types.runtime)
        self._release()
        edges: dict[tuple[str, str], Any] = self.edges
        for key, (rule, go, defer, sites) in edges.items():
            sites = [sites] if isinstance(sites, Site) else sites
            sites.sort(key=lambda s: (s.path, s.line, s.col, s.rule))
            edges[key] = {"sites": sites, "rule": rule, "go": go, "defer": defer}
        missing = tuple(sorted(self.missing))
        for name in missing:
            log.debug("rta: no body for %s", name)
        diagnostics = [Diagnostic(Severity.DEBUG, f"rta: no body for {name}: its branch of reachability ends there")
                       for name in missing]
        return RTAResult(CallGraph(nodes=nodes, edges=edges), self.program, frozenset(self.reachable),
                         runtime, missing, diagnostics)

    def _release(self) -> None:
        """Drop what only the walk needed (call sites, matrices, the resolver's caches) before the
        graph's edge dicts are made: the peak memory of a large program is there."""
        closures = self.sites.closures
        self.sites = Sites()
        self.sites.closures = closures
        self.calls_of.clear()
        self.dynamic_sites.clear()
        self.taken_by_sig.clear()
        self.invokes_by_sig.clear()
        self.recorder = RuntimeRecorder()
        self.walker = None
        self.types = None
        self._last_site = (None, "", None)

    def _node(self, name: str) -> dict[str, Any]:
        program = self.program
        info = program.funcs.get(name)
        if info is not None:
            return dict(kind=info.kind.value, package=info.package,
                        position=f"{self._where(info.file.path)}:{info.decl.line}:{info.decl.col}",
                        doc=info.decl.doc, std=program.is_std(info.package), external=False)
        closure = self.sites.closures.get(name)
        if closure is not None:
            return dict(kind="closure", package=closure.package,
                        position=f"{self._where(closure.file.path)}:{closure.lit.line}:{closure.lit.col}",
                        doc="", std=program.is_std(closure.package), external=False)
        package = package_in(name, program.packages)
        external = not (package in program.packages and name == init_name(package))
        return dict(kind="external" if external else "func", package=package, position="", doc="",
                    std=program.is_std(package), external=external)
