"""Walks over the expression IR of one file, for what command detection reads from syntax alone:
a literal's field expressions (to fold its name), calls with string arguments (kingpin's
`app.Command("check", "...")`), map literals of factories (mitchellh/cli). The sites walk gives
values and types; these give the text the walk does not keep."""

from __future__ import annotations

__all__ = ["FileBodies", "FuncBody", "iter_nodes", "literal_index"]

from dataclasses import dataclass
from typing import Any, Iterator

from goanalyzer.model import FileFacts
from goanalyzer.naming import init_name
from goanalyzer.program import Program
from goanalyzer.syntax.ir import FuncLit


@dataclass(slots=True, frozen=True)
class FuncBody:
    """A top-level body of a file: a function's, or a package-level var's initialisers."""

    func: str
    """The x/tools name of the function (`pkg.init` for package-level values)."""
    body: Any


class FileBodies:
    """The bodies of a program's files, by file path (built once, read per file)."""

    def __init__(self, program: Program):
        self.program = program
        self.funcs: dict[str, list[FuncBody]] = {}
        for info in program.iter_funcs():
            if info.decl.body is not None:
                self.funcs.setdefault(info.file.path, []).append(FuncBody(info.name, info.body))

    def of(self, facts: FileFacts) -> list[FuncBody]:
        package = self.program.package_of_file[facts.path].path
        out = [FuncBody(init_name(package), ("decls", list(spec.values), spec.line))
               for spec in facts.values if spec.values]
        return sorted([*out, *self.funcs.get(facts.path, [])], key=lambda b: b.body[-1])


def iter_nodes(node: Any) -> Iterator[tuple]:
    """Every IR tuple under `node` (itself included), function literal bodies too, in source order."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            if item and isinstance(item[0], str):
                yield item
            stack.extend(reversed(item))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, FuncLit):
            stack.append(item.body)


def literal_index(bodies: FileBodies, facts: FileFacts) -> dict[tuple[int, int], tuple]:
    """(line, col) -> the composite literal there (as the sites walk identifies literals)."""
    out: dict[tuple[int, int], tuple] = {}
    for body in bodies.of(facts):
        for node in iter_nodes(body.body):
            if node[0] == "lit" and len(node) == 5:
                out[(node[3], node[4])] = node
    return out
