"""Function names in the golang.org/x/tools/go/ssa convention (what Go's `callgraph` prints)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping


def func_name(package: str, name: str) -> str:
    """`github.com/traefik/paerser/cli.Execute`; a main package keeps its path."""
    return f"{package}.{name}"


def method_name(package: str, type_name: str, method: str, pointer: bool) -> str:
    """`(*github.com/traefik/paerser/cli.Command).AddCommand` or `(pkg.T).String`."""
    star = "*" if pointer else ""
    return f"({star}{package}.{type_name}).{method}"


def closure_name(parent: str, index: int) -> str:
    """The index-th (1-based) function literal directly inside `parent`: `main$1`, `main$1$2`."""
    return f"{parent}${index}"


def init_name(package: str, index: int = 0) -> str:
    """`pkg.init` is the synthetic initialiser; explicit `func init` are `pkg.init#1`, `#2`, ..."""
    return f"{package}.init" if index == 0 else f"{package}.init#{index}"


def package_of(name: str) -> str:
    """The package path inside a function name (`(*a/b.T).M` -> `a/b`, `a/b.F$1` -> `a/b`)."""
    bare = name
    if bare.startswith("("):
        bare = bare[1:bare.index(")")].lstrip("*")
    else:
        bare = bare.split("$", 1)[0]
    slash = bare.rfind("/")
    dot = bare.find(".", slash + 1)
    return bare[:dot] if dot >= 0 else bare


def package_in(name: str, packages: Mapping[str, object] | set[str]) -> str:
    """`package_of` when a dot may belong to the package's last path element: `gopkg.in/yaml.v2.init`
    is `init` of `gopkg.in/yaml.v2`. The longest candidate among `packages` wins, else `package_of`."""
    bare = name[1:name.index(")")].lstrip("*") if name.startswith("(") else name.split("$", 1)[0]
    slash = bare.rfind("/")
    dot = bare.rfind(".")
    while dot > slash:
        if bare[:dot] in packages:
            return bare[:dot]
        dot = bare.rfind(".", 0, dot)
    return package_of(name)


def short_name(name: str) -> str:
    """A readable label: the last path element of the package only (`cli.Execute`, `(*cli.Command).Run`)."""
    package = package_of(name)
    short = package.rsplit("/", 1)[-1]
    return name.replace(package + ".", short + ".", 1)


@dataclass(frozen=True, slots=True)
class ShortNames:
    """How views print package paths when two packages share a last path element.

    `short_name` names a package by its last path element, so Traefik's `.../v2/pkg/cli` and
    paerser's `.../paerser/cli` both print as `cli.`. The table holds only the packages that need
    another label (`tcli`, the alias the program imports it under, or `provider/traefik`); every
    other package keeps its plain short name. An empty table is `short_name` itself."""

    labels: Mapping[str, str] = field(default_factory=dict)
    """Package path -> its label, for the packages whose last element is shared."""

    def package(self, path: str) -> str:
        """The label of a package path."""
        return self.labels.get(path) or path.rsplit("/", 1)[-1]

    def short(self, name: str) -> str:
        """`short_name(name)`, the package named by its label (`(*tcli.FileLoader).Load`)."""
        package = package_of(name)
        label = self.labels.get(package)
        return short_name(name) if label is None else name.replace(package + ".", label + ".", 1)

    def relabel(self, label: str, name: str) -> str:
        """`label` (a view's text that starts with `short_name(name)`, such as a step label
        `(*cli.FileLoader).Load (+3 implementations)`) with the package named by its label."""
        plain = short_name(name)
        if not self.labels or not label.startswith(plain):
            return label
        return self.short(name) + label[len(plain):]


PLAIN = ShortNames()
"""The table that changes nothing: plain `short_name`."""


def short_names(packages: Iterable[str], aliases: Mapping[str, str] | None = None,
                keep: str | None = None) -> ShortNames:
    """The naming table of `packages` (import paths). Packages whose last path element is shared
    get labels: `keep` (the entry's package) keeps the plain one; a package the program imports
    under an alias (`aliases`: path -> alias) is named by it (`tcli`); when exactly one package
    is left it keeps the plain one, otherwise each is named by its shortest path suffix that no
    other package of the group ends with (`pkg/cli`, `paerser/cli`). Labels are unique."""
    aliases = aliases or {}
    groups: dict[str, list[str]] = {}
    for path in sorted(set(packages)):
        groups.setdefault(path.rsplit("/", 1)[-1], []).append(path)
    taken = set(groups)
    labels: dict[str, str] = {}
    for base, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        plain = keep if keep in members else None
        rest = []
        for path in members:
            alias = aliases.get(path)
            if path == plain:
                continue
            if alias and alias not in taken:
                labels[path] = alias
                taken.add(alias)
            else:
                rest.append(path)
        if plain is None and len(rest) == 1:
            continue
        for path in rest:
            label = _unique_suffix(path, members)
            labels[path] = label
            taken.add(label)
    return ShortNames(labels)


def _unique_suffix(path: str, members: list[str]) -> str:
    """The fewest trailing elements of `path` that no other of `members` ends with."""
    parts = path.split("/")
    for n in range(2, len(parts) + 1):
        suffix = "/".join(parts[-n:])
        if not any(m != path and (m == suffix or m.endswith("/" + suffix)) for m in members):
            return suffix
    return path
