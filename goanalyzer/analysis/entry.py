"""The default entry: which `main` a command starts from when none is named (`--entry main`,
`--from main`). One rule for every command, so `startup`, `walkthrough`, `site` and `callgraph`
never disagree:

1. the main package at PATH, when PATH is one (unless its `main` is empty and there are others:
   Traefik's root `generate.go` only holds `//go:generate` lines and `func main() {}`);
2. else the only main package under PATH;
3. else the module's primary command: `cmd/<name>` where name is the module path's last element
   (a `/vN` suffix skipped) or the repository's (the hosting path's repository element, or the
   name of the checkout directory);
4. else the main a `.goreleaser.yml` / `.goreleaser.yaml` builds (`builds[].main`, the first one
   that is a main package under PATH);
5. else the main whose reachable set covers most of the module's functions (ties: first by name).
"""

from __future__ import annotations

__all__ = ["EntryChoice", "default_entry", "main_functions", "program_packages", "scope_to_entry"]

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from goanalyzer.analysis.callgraph import CallGraph
from goanalyzer.errors import GoanalyzerError
from goanalyzer.naming import init_name
from goanalyzer.program import Program, resolve_name
from goanalyzer.resolve.initorder import init_run_order

log = logging.getLogger("goanalyzer")

GORELEASER_FILES = (".goreleaser.yml", ".goreleaser.yaml")
_MAX_GORELEASER_BYTES = 1 << 20
_MAJOR_VERSION = re.compile(r"v([2-9]|[1-9]\d+)")
_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")


@dataclass(frozen=True, slots=True)
class EntryChoice:
    """The chosen entry and why, for the line a command prints on stderr."""

    name: str
    """x/tools name of the `main` function, e.g. `github.com/o/r/cmd/r.main`."""
    reason: str
    """Which rule chose it, e.g. `the cmd/<name> matching the module name`."""

    def message(self) -> str:
        return f"entry: {self.name} ({self.reason})"


def main_functions(program: Program) -> list[str]:
    """The `main` functions of the main packages under PATH, sorted."""
    out = []
    for package in program.root_packages():
        name = f"{package.path}.main"
        if package.name == "main" and name in program.funcs:
            out.append(name)
    return out


def default_entry(program: Program, cg: CallGraph | None = None) -> EntryChoice | None:
    """The entry a command starts from when none is named; None when PATH holds no main package.
    `cg` is only needed for the last rule (reachable coverage)."""
    mains = main_functions(program)
    if not mains:
        return None
    root = _resolved(program.workspace.root)
    for name in mains:
        if _resolved(program.packages[_package(name)].dir) == root and (len(mains) == 1 or not _empty(program, name)):
            return EntryChoice(name, "the main package at PATH")
    if len(mains) == 1:
        return EntryChoice(mains[0], "the only main package under PATH")
    return (_named_like_module(program, mains) or _built_by_goreleaser(program, mains)
            or _covering_most(program, cg, mains))


def _empty(program: Program, main: str) -> bool:
    """`func main() {}`: a package that only exists to hold go:generate lines or build tags."""
    body = program.funcs[main].body
    return isinstance(body, tuple) and len(body) > 1 and body[0] == "block" and not body[1]


def _package(main: str) -> str:
    return main.removesuffix(".main")


def _resolved(path: str | Path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path)


def _last_element(path: str) -> str:
    elements = path.rstrip("/").split("/")
    if len(elements) > 1 and _MAJOR_VERSION.fullmatch(elements[-1]):
        elements.pop()
    return elements[-1]


def _repository_names(module_path: str, module_dir: str) -> list[str]:
    """The repository's last path element: from a hosting path (github.com/o/REPO/...), and the
    checkout directory (the one holding .git, else the module root)."""
    names = []
    parts = module_path.split("/")
    if len(parts) >= 3 and parts[0] in _HOSTS:
        names.append(parts[2])
    directory = _resolved(module_dir)
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            names.append(candidate.name)
            break
    else:
        names.append(directory.name)
    return names


def _named_like_module(program: Program, mains: list[str]) -> EntryChoice | None:
    by_module: dict[str, tuple[str, str]] = {}
    for module in program.workspace.modules:
        by_module[module.path] = (module.path, str(module.dir))
    for rule, names_of in (("module", lambda m, _: [_last_element(m)]),
                           ("repository", _repository_names)):
        for name in mains:
            package = program.packages[_package(name)]
            if package.module is None or package.module not in by_module:
                continue
            wanted = names_of(*by_module[package.module])
            if any(package.path == f"{package.module}/cmd/{n}" for n in wanted):
                return EntryChoice(name, f"the cmd/<name> matching the {rule} name")
    return None


def _built_by_goreleaser(program: Program, mains: list[str]) -> EntryChoice | None:
    import yaml

    dirs = {_resolved(program.packages[_package(m)].dir): m for m in mains}
    for module in program.workspace.modules:
        root = _resolved(module.dir)
        for file_name in GORELEASER_FILES:
            path = root / file_name
            if not path.is_file() or root not in _resolved(path).parents:  # no link out of the tree
                continue
            try:
                if path.stat().st_size > _MAX_GORELEASER_BYTES:
                    continue
                document = yaml.safe_load(path.read_text(encoding="utf-8", errors="replace"))
            except (OSError, yaml.YAMLError) as error:
                log.debug("%s: not read (%s)", path, error)
                continue
            for main in _goreleaser_mains(document):
                target = _resolved(root / main)
                if target.suffix == ".go":
                    target = target.parent
                if target in dirs:
                    return EntryChoice(dirs[target], f"the main {file_name} builds")
    return None


def _goreleaser_mains(document: object) -> list[str]:
    """`builds[].dir`/`builds[].main` joined (both default to `.`), in file order."""
    if not isinstance(document, dict) or not isinstance(document.get("builds"), list):
        return []
    out = []
    for build in document["builds"]:
        if not isinstance(build, dict):
            continue
        directory, main = build.get("dir") or ".", build.get("main") or "."
        if isinstance(directory, str) and isinstance(main, str):
            out.append(str(Path(directory) / main))
    return out


def _covering_most(program: Program, cg: CallGraph | None, mains: list[str]) -> EntryChoice:
    if cg is None:
        return EntryChoice(mains[0], "the first main package by name: no call graph to compare them")
    own = {n for n, data in cg.graph.nodes(data=True)
           if data.get("package") in program.packages and program.packages[data["package"]].is_root}
    best, best_count = mains[0], -1
    for name in mains:
        count = len(_reachable({name, init_name(_package(name))}, cg) & own)
        if count > best_count:
            best, best_count = name, count
    return EntryChoice(best, f"the main reaching most of the module: {best_count} of {len(own)} functions")


def _reachable(entries: set[str], cg: CallGraph) -> set[str]:
    graph = cg.graph
    seen = {e for e in entries if e in graph}
    todo = list(seen)
    while todo:
        for callee in graph.successors(todo.pop()):
            if callee not in seen:
                seen.add(callee)
                todo.append(callee)
    return seen


def program_packages(program: Program, entry: str) -> frozenset[str] | None:
    """The packages the program of `entry` is made of, when `entry` names a main package's `main`
    (full name or unambiguous suffix, e.g. `cmd/a.main`): that package and every package it
    imports, transitively. None for any other entry."""
    try:
        name = resolve_name(entry, main_functions(program), "main function")
    except GoanalyzerError:
        return None
    return frozenset(init_run_order(program, _package(name)))


def scope_to_entry(program: Program, cg: CallGraph, entry: str) -> CallGraph:
    """The call graph without the functions of loaded packages the entry's program does not import:
    another main's types, a test helper's, that an interface call elsewhere in the tree reached.
    The graph itself when `entry` is no main or nothing is left out."""
    packages = program_packages(program, entry)
    if packages is None:
        return cg
    loaded = program.packages  # a package never loaded may be imported by one never loaded either: kept
    keep = [n for n, data in cg.graph.nodes(data=True)
            if data.get("package", "") in packages or data.get("package", "") not in loaded]
    return cg if len(keep) == cg.graph.number_of_nodes() else cg.subgraph(keep)
