"""go.mod, go.work and vendor/modules.txt parsing: module, go, toolchain, require, replace, exclude, use.

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
    toolchain: str | None = None
    requires: list[Requirement] = field(default_factory=list)
    replaces: list[Replacement] = field(default_factory=list)
    excludes: list[tuple[str, str]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def replacement(self, module: str, version: str | None) -> Replacement | None:
        """The replace directive that applies: a versioned one beats a wildcard one."""
        exact = [r for r in self.replaces if r.old_path == module and r.old_version == version]
        wildcard = [r for r in self.replaces if r.old_path == module and r.old_version is None]
        return (exact or wildcard or [None])[-1]


VERBS = frozenset({"module", "go", "require", "exclude", "replace", "toolchain", "retract", "godebug", "tool",
                   "ignore", "use"})
"""The directives of go.mod and go.work; none of them can be a module path, so one inside a block shows that
the block was left open."""

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\S+')


def _tokens(text: str) -> list[str]:
    return [t[1:-1] if t[0] in '"`' else t for t in _TOKEN.findall(text)]


def _lines(text: str, path: str, diagnostics: list[Diagnostic]):
    """(verb, args, indirect, line) of each directive of a go.mod or go.work, single or in a block.
    An unterminated block is said where it opened; the lines after it are read as what they say."""
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
                yield block, words, indirect, number
                continue
            # a directive inside a block: the block was never closed (go rejects the file); the
            # lines after it are read as what they say rather than swallowed by the block
            diagnostics.append(Diagnostic(Severity.WARNING, f"unterminated {block} block", path, opened))
            block = None
        if len(words) == 2 and words[1] == "(":
            block, opened = words[0], number
            continue
        yield words[0], words[1:], indirect, number
    if block is not None:
        diagnostics.append(Diagnostic(Severity.WARNING, f"unterminated {block} block", path, opened))


def parse_gomod(text: str, path: str = "go.mod") -> GoMod:
    """Parse go.mod text. Malformed lines become diagnostics; the rest is still read."""
    mod = GoMod()
    for verb, args, indirect, number in _lines(text, path, mod.diagnostics):
        _directive(mod, verb, args, indirect, number, path)
    if not mod.module:
        mod.diagnostics.append(Diagnostic(Severity.WARNING, "no module directive", path, 1))
    return mod


@dataclass(slots=True)
class GoWork:
    """A go.work file: the module directories it uses and its replace directives (which win over
    those of every go.mod in the workspace)."""

    go: str | None = None
    toolchain: str | None = None
    uses: list[tuple[int, str]] = field(default_factory=list)
    """(line, directory as written) of each `use`."""
    replaces: list[Replacement] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def parse_gowork(text: str, path: str = "go.work") -> GoWork:
    """Parse go.work text: go, toolchain, use and replace; other directives are read and ignored."""
    work = GoWork()
    scratch = GoMod()
    for verb, args, indirect, number in _lines(text, path, work.diagnostics):
        if verb == "use":
            if len(args) != 1:
                work.diagnostics.append(Diagnostic(Severity.WARNING, "malformed use directive: expected one "
                                                   "directory", path, number))
            else:
                work.uses.append((number, args[0]))
        elif verb in ("go", "toolchain", "replace"):
            _directive(scratch, verb, args, indirect, number, path)
    work.go, work.toolchain, work.replaces = scratch.go, scratch.toolchain, scratch.replaces
    work.diagnostics.extend(scratch.diagnostics)
    return work


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
    elif verb == "toolchain":
        if len(args) != 1:
            return bad("expected one toolchain name")
        mod.toolchain = args[0]
    elif verb in ("retract", "godebug", "tool", "ignore"):
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
