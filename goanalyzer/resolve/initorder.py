"""Package initialisation as x/tools' SSA builds it: the synthetic `P.init` calls each imported
package's `init` (in the order go/types lists the imports: first appearance, files in build order),
then runs the package-level var initialisers (walked by `walk.py`, their calls already attributed
to `P.init`), then the explicit `func init`s as `P.init#1..N` (source order across the files).

The import and `init#N` calls have no source position in x/tools (`:0:0`); they get none here
either (`CallSite.file == ""`). What this can miss: a package imported only by cgo's `import "C"`
(never a call), and files the build would add through cgo processing.
"""

from __future__ import annotations

__all__ = ["imported_packages", "init_calls", "init_run_order", "package_inits"]

from goanalyzer.naming import init_name
from goanalyzer.program import Program
from goanalyzer.resolve.refs import StaticCall
from goanalyzer.resolve.sites import CallSite

_NOT_PACKAGES = frozenset({"C"})
"""`import "C"` is cgo's pseudo-package: SSA has no package (nor `init`) for it."""


def imported_packages(program: Program, package: str) -> list[str]:
    """The package's imports in go/types order: each path once, at its first `import` spec,
    files in the order the build lists them (by name)."""
    info = program.packages.get(package)
    if info is None:
        return []
    seen: dict[str, None] = {}
    for facts in sorted(info.files, key=lambda f: f.path.rsplit("/", 1)[-1]):
        for imp in facts.imports:
            if imp.path not in _NOT_PACKAGES:
                seen.setdefault(imp.path, None)
    return list(seen)


def package_inits(program: Program, package: str) -> list[str]:
    """The explicit `func init`s of a package in the order `P.init` calls them: `P.init#1..N`."""
    out, index = [], 1
    while init_name(package, index) in program.funcs:
        out.append(init_name(package, index))
        index += 1
    return out


def init_calls(program: Program) -> list[CallSite]:
    """The synthetic calls of `P.init` for every package whose bodies were read (the callers the
    call graph covers): `P.init -> Q.init` per import, then `P.init -> P.init#N`."""
    calls = []
    for path in sorted(program.packages):
        if not any(f.with_bodies for f in program.packages[path].files):
            continue
        caller = init_name(path)
        callees = [init_name(q) for q in imported_packages(program, path)] + package_inits(program, path)
        calls.extend(CallSite(caller, "", 0, 0, StaticCall(callee)) for callee in callees)
    return calls


def init_run_order(program: Program, package: str) -> list[str]:
    """The packages whose initialisation runs before `package`'s `main`, in run order: each
    package's imports first (depth first, in import order), each package once."""
    order: list[str] = []
    done: set[str] = set()
    stack: list[tuple[str, list[str]]] = [(package, imported_packages(program, package))]
    done.add(package)
    while stack:
        path, pending = stack[-1]
        if pending:
            nxt = pending.pop(0)
            if nxt not in done:
                done.add(nxt)
                stack.append((nxt, imported_packages(program, nxt)))
            continue
        stack.pop()
        order.append(path)
    return order
