"""go.mod and vendor/modules.txt parsing: module, go, require, replace, exclude.

Line numbers are kept so malformed lines can be reported where they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from goanalyzer.model import Diagnostic, Severity


@dataclass(slots=True)
class Requirement:
    path: str
    version: str
    indirect: bool = False
    line: int = 0


@dataclass(slots=True)
class Replacement:
    old_path: str
    old_version: str | None
    new_path: str
    """A module path, or a local directory (starts with ./ ../ or /)."""
    new_version: str | None
    line: int = 0

    @property
    def is_local(self) -> bool:
        return self.new_version is None and (
            self.new_path.startswith(("./", "../", "/")) or self.new_path in (".", ".."))


@dataclass(slots=True)
class GoMod:
    module: str = ""
    go: str | None = None
    requires: list[Requirement] = field(default_factory=list)
    replaces: list[Replacement] = field(default_factory=list)
    excludes: list[tuple[str, str]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def required_version(self, module: str) -> str | None:
        return next((r.version for r in self.requires if r.path == module), None)

    def replacement(self, module: str, version: str | None) -> Replacement | None:
        """The replace directive that applies: a versioned one beats a wildcard one."""
        exact = [r for r in self.replaces if r.old_path == module and r.old_version == version]
        wildcard = [r for r in self.replaces if r.old_path == module and r.old_version is None]
        return (exact or wildcard or [None])[-1]


VERBS = frozenset({"module", "go", "require", "exclude", "replace", "toolchain", "retract", "godebug", "tool",
                   "ignore"})
"""The directives of go.mod; none of them can be a module path, so one inside a block shows that
the block was left open."""

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\S+')


def _tokens(text: str) -> list[str]:
    return [t[1:-1] if t[0] in '"`' else t for t in _TOKEN.findall(text)]


def parse_gomod(text: str, path: str = "go.mod") -> GoMod:
    """Parse go.mod text. Malformed lines become diagnostics; the rest is still read."""
    mod = GoMod()
    block: str | None = None
    opened = 0
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line, _, comment = raw.partition("//")
        indirect = comment.strip() == "indirect" or comment.strip().startswith("indirect;")
        line = line.strip()
        if not line:
            continue
        words = _tokens(line)
        if block is not None:
            if line == ")":
                block = None
                continue
            if words[0] not in VERBS:
                _directive(mod, block, words, indirect, number, path)
                continue
            # a directive inside a block: the block was never closed (go rejects the file); the
            # lines after it are read as what they say rather than swallowed by the block
            mod.diagnostics.append(Diagnostic(Severity.WARNING, f"unterminated {block} block", path, opened))
            block = None
        verb = words[0]
        if len(words) == 2 and words[1] == "(":
            block, opened = verb, number
            continue
        _directive(mod, verb, words[1:], indirect, number, path)
    if block is not None:
        mod.diagnostics.append(Diagnostic(Severity.WARNING, f"unterminated {block} block", path, opened))
    if not mod.module:
        mod.diagnostics.append(Diagnostic(Severity.WARNING, "no module directive", path, 1))
    return mod


def _directive(mod: GoMod, verb: str, args: list[str], indirect: bool, line: int, path: str) -> None:
    def bad(why: str) -> None:
        mod.diagnostics.append(Diagnostic(Severity.WARNING, f"malformed {verb} directive: {why}", path, line))

    if verb == "module":
        if len(args) != 1:
            return bad("expected one module path")
        mod.module = args[0]
    elif verb == "go":
        if len(args) != 1:
            return bad("expected one version")
        mod.go = args[0]
    elif verb == "require":
        if len(args) != 2:
            return bad("expected module path and version")
        mod.requires.append(Requirement(args[0], args[1], indirect, line))
    elif verb == "exclude":
        if len(args) != 2:
            return bad("expected module path and version")
        mod.excludes.append((args[0], args[1]))
    elif verb == "replace":
        if "=>" not in args:
            return bad("expected =>")
        arrow = args.index("=>")
        old, new = args[:arrow], args[arrow + 1:]
        if len(old) not in (1, 2) or len(new) not in (1, 2):
            return bad("expected `old [version] => new [version]`")
        mod.replaces.append(Replacement(old[0], old[1] if len(old) == 2 else None,
                                        new[0], new[1] if len(new) == 2 else None, line))
    elif verb in ("toolchain", "retract", "godebug", "tool", "ignore"):
        return
    else:
        bad("unknown directive")


def parse_modules_txt(text: str) -> dict[str, str]:
    """vendor/modules.txt -> {package import path: module path}, so vendored packages resolve."""
    packages: dict[str, str] = {}
    module: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("# "):
            words = line[2:].split()
            module = words[0] if words else None
        elif line and not line.startswith("#") and module:
            packages[line] = module
    return packages


def vendored_versions(text: str) -> dict[str, str]:
    """vendor/modules.txt -> {module path: version} of its `# path version` lines."""
    versions: dict[str, str] = {}
    for raw in text.splitlines():
        words = raw.split()
        if raw.startswith("# ") and len(words) >= 3 and words[2] != "=>":
            versions[words[1]] = words[2]
    return versions


def vendoring_mismatches(gomod: GoMod, modules_txt: str) -> list[str]:
    """What the go command would call inconsistent vendoring: a requirement of go.mod that
    vendor/modules.txt lacks or lists at another version (the vendored code is then not what
    go.mod says is built)."""
    if "## explicit" not in modules_txt:
        return []  # before go 1.14 modules.txt listed only modules with vendored packages
    vendored = vendored_versions(modules_txt)
    out = []
    for requirement in gomod.requires:
        version = vendored.get(requirement.path)
        if version is None:
            out.append(f"{requirement.path}@{requirement.version} is required in go.mod but not in "
                       "vendor/modules.txt")
        elif version != requirement.version:
            out.append(f"{requirement.path} is {requirement.version} in go.mod but {version} in vendor/modules.txt")
    return out


def parse_gowork_uses(text: str) -> list[tuple[int, str]]:
    """(line, directory) of each `use` of a go.work file, single or in a block."""
    uses: list[tuple[int, str]] = []
    in_block = False
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        words = _tokens(raw.partition("//")[0].strip())
        if not words:
            continue
        if in_block:
            if words == [")"]:
                in_block = False
            else:
                uses.append((number, words[0]))
        elif words[0] == "use":
            if words[1:] == ["("]:
                in_block = True
            elif len(words) == 2:
                uses.append((number, words[1]))
    return uses
