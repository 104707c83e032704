"""Find the module(s) under a path and resolve import paths to directories, as the go command does.

Resolution order for an import path: the standard library (GOROOT/src, and its vendor folders for
std and cmd packages), the module that owns the importing package, its vendor/ folder, a required
module (after replace directives) in the module caches. What resolves nowhere is external: its
path is still known and calls into it are still named, but it has no source.
"""

from __future__ import annotations

import logging
import functools
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from goanalyzer.errors import LoadError, UsageError
from goanalyzer.model import Diagnostic, Severity
from goanalyzer.workspace.files import read_control_file, reason
from goanalyzer.workspace.gomod import (GoMod, GoWork, Replacement, parse_gomod, parse_gowork, parse_modules_txt,
                                        vendoring_mismatches)

log = logging.getLogger("goanalyzer")

LOCAL_MODCACHE_DIRS = ("_gomodcache", ".gomodcache")
"""A module root may ship the sources of its dependencies in a module-cache layout here; it is
searched after the configured caches (the go command ignores directories starting with _ or .)."""


def escape_module_path(path: str) -> str:
    """The module cache's case escaping: each upper-case letter becomes '!' + its lower case."""
    return "".join("!" + c.lower() if c.isupper() else c for c in path)


def find_module_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` holding a go.mod, as the go command finds it."""
    for directory in (start, *start.parents):
        if is_file(directory / "go.mod"):
            return directory
    return None


def find_vendor_mod(start: Path) -> Path | None:
    """With no go.mod: the nearest `vendor.mod` beside a vendor/modules.txt at or above `start`.
    docker/cli and moby keep their module file under that name so that `go get` never sees it;
    their build scripts copy it to go.mod, which is what reading it here amounts to."""
    for directory in (start, *start.parents):
        if is_file(directory / "vendor.mod") and is_file(directory / "vendor" / "modules.txt"):
            return directory / "vendor.mod"
    return None


def default_gomodcaches() -> list[Path]:
    """$GOMODCACHE, else each $GOPATH entry's pkg/mod, else ~/go/pkg/mod."""
    if os.environ.get("GOMODCACHE"):
        return [Path(os.environ["GOMODCACHE"])]
    if os.environ.get("GOPATH"):
        return [Path(p) / "pkg" / "mod" for p in os.environ["GOPATH"].split(os.pathsep) if p]
    return [Path.home() / "go" / "pkg" / "mod"]


def default_goroot() -> Path | None:
    """$GOROOT, else the tree the `go` command on PATH lives in (as the go command itself finds its
    GOROOT: $GOROOT/bin/go, symlinks resolved), else what `go env GOROOT` says. No network involved;
    the subprocess is only for unusual installs, it costs more than a warm index's scan."""
    if os.environ.get("GOROOT"):
        return Path(os.environ["GOROOT"])
    go = shutil.which("go")
    if not go:
        return None
    beside = Path(os.path.realpath(go)).parent.parent
    if is_dir(beside / "src" / "runtime") and is_dir(beside / "pkg" / "tool"):
        return beside
    import subprocess

    try:
        out = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = out.stdout.strip()
    return Path(value) if value and is_dir(Path(value)) else None


@dataclass(slots=True)
class ModuleInfo:
    """A module whose source is on disk: the main module(s), replacements, cached dependencies."""

    path: str
    dir: Path
    version: str | None = None
    gomod: GoMod | None = None
    main: bool = False
    vendor: dict[str, str] | None = None
    """Package path -> module path from vendor/modules.txt, when the module vendors."""


@dataclass(slots=True)
class Resolved:
    """Where an import path's source is."""

    path: str
    dir: Path
    module: ModuleInfo | None
    is_std: bool = False


@dataclass
class Workspace:
    """The loading context: root, modules, caches, GOROOT. Built by `open_workspace`."""

    root: Path
    modules: list[ModuleInfo]
    """Main modules under (or around) root, outermost first."""
    goroot: Path | None
    gomodcaches: list[Path]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    bare: bool = False
    """No go.mod was found: the directory is analysed as a bare package tree."""
    package_dirs: list[Path] = field(default_factory=list)
    """Directories under root holding .go files (what the go command would see as packages)."""
    goroot_src: Path | None = None
    """GOROOT/src with symlinks resolved (Debian links /usr/lib/go/src to /usr/share), so a package
    reached as a root and as an import is one directory, parsed once."""
    denied: list[str] = field(default_factory=list)
    """Paths looked up while resolving imports that could not be examined (permission denied)."""
    gowork: GoWork | None = None
    gowork_dir: Path | None = None
    """The go.work in effect and its directory: its replace directives win over every go.mod's."""
    refused: list[Diagnostic] = field(default_factory=list)
    """Imports not followed while resolving (a directory link out of the tree), said once each."""
    _cache: dict[tuple[str, str], Resolved | None] = field(default_factory=dict)
    _dep_modules: dict[tuple[str, str | None], ModuleInfo] = field(default_factory=dict)
    _owners: dict[str, ModuleInfo | None] = field(default_factory=dict)
    """owner() by directory; cleared whenever a dependency module is added."""

    def __post_init__(self) -> None:
        if self.goroot is not None and self.goroot_src is None:
            self.goroot_src = (self.goroot / "src").resolve()

    def go_lines(self) -> list[str | None]:
        """The go and toolchain lines of the main modules and go.work: the release they ask for."""
        files = [m.gomod for m in self.modules if m.gomod is not None] + ([self.gowork] if self.gowork else [])
        return [line for f in files for line in (f.go, f.toolchain)]

    def _is_dir(self, path: Path) -> bool:
        return is_dir(path, self.denied)

    def _is_file(self, path: Path) -> bool:
        return is_file(path, self.denied)

    def trusted_roots(self) -> tuple[str, ...]:
        """Where a symlinked source file or package directory may lead (resolved): the tree, GOROOT,
        the module caches, the go.work modules, the local replacements of the main modules' go.mod
        files and of go.work, and for a bare tree the GOPATH `src` it lies in."""
        return self._trusted

    @functools.cached_property
    def _trusted(self) -> tuple[str, ...]:
        roots = [self.root, *self.gomodcaches, *(m.dir for m in self.modules),
                 *(m.dir / d for m in self.modules for d in LOCAL_MODCACHE_DIRS)]
        if self.goroot_src is not None:
            roots.append(self.goroot_src)
        if self.bare:
            roots.append(self.bare_base)
        inside = str(self.root)
        # a replacement around the tree (`=> /`, `=> ../..`) would trust every link of the machine:
        # its packages still resolve (as go build reads them), but links lead only below the others
        around = [r for r in map(os.path.realpath, self._replacement_dirs()) if is_within(inside, (r,))]
        return tuple(os.path.realpath(r) for r in roots) + tuple(
            r for r in map(os.path.realpath, self._replacement_dirs()) if r not in around)

    @functools.cached_property
    def _import_roots(self) -> tuple[str, ...]:
        """Where an import may lead (resolved): the trusted roots and every local replacement."""
        return self._trusted + tuple(map(os.path.realpath, self._replacement_dirs()))

    def _replacement_dirs(self) -> list[Path]:
        dirs = [m.dir / r.new_path for m in self.modules if m.gomod for r in m.gomod.replaces if r.is_local]
        if self.gowork is not None and self.gowork_dir is not None:
            dirs += [self.gowork_dir / r.new_path for r in self.gowork.replaces if r.is_local]
        return dirs

    # ---------------------------------------------------------------- owners
    def owner(self, directory: Path) -> ModuleInfo | None:
        """The main module (or loaded dependency module) whose tree contains `directory`."""
        key = str(directory)
        if key not in self._owners:
            best: ModuleInfo | None = None
            for module in [*self.modules, *self._dep_modules.values()]:
                root = str(module.dir)
                if (key == root or key.startswith(root.rstrip(os.sep) + os.sep)) and (
                        best is None or len(root) > len(str(best.dir))):
                    best = module
            self._owners[key] = best
        return self._owners[key]

    def package_path(self, directory: Path) -> tuple[str, ModuleInfo | None, bool]:
        """The import path of the package in `directory`, its module, and whether it is std."""
        if self.goroot_src is not None:
            try:
                rel = directory.relative_to(self.goroot_src)
            except ValueError:
                rel = None
            if rel is not None:
                module = self.owner(directory)
                text = rel.as_posix()
                for vendor_prefix in ("vendor/", "cmd/vendor/"):
                    if text.startswith(vendor_prefix):
                        return text[len(vendor_prefix):], module, True
                return ("" if text == "." else text), module, True
        module = self.owner(directory)
        if module is None:
            base = self.bare_base
            rel = directory.relative_to(base).as_posix() if directory != base else ""
            return (rel or directory.name), None, False
        rel = directory.relative_to(module.dir).as_posix()
        if rel.startswith("vendor/") and module.vendor is not None:
            return rel[len("vendor/"):], module, False
        if module.path == "std":
            return rel, module, True
        return (module.path if rel == "." else f"{module.path}/{rel}"), module, False

    # -------------------------------------------------------------- resolving
    def resolve(self, import_path: str, importer_dir: Path) -> Resolved | None:
        """The directory of `import_path` as imported from a package in `importer_dir`."""
        importer = self.owner(importer_dir)
        key = (import_path, str(importer.dir) if importer else "")
        if key not in self._cache:
            self._cache[key] = self._contained(self._resolve(import_path, importer, importer_dir))
        return self._cache[key]

    def _contained(self, found: Resolved | None) -> Resolved | None:
        """`found`, unless its directory is (or lies under) a link leading out of the places the go
        command would read: an import must not publish a directory from elsewhere on the machine."""
        if found is None:
            return None
        target = os.path.realpath(found.dir)
        if is_within(target, self._import_roots):
            return found
        if not any(d.path == str(found.dir) for d in self.refused):
            self.refused.append(Diagnostic(Severity.WARNING, f"import {found.path}: symlink leads out of the tree "
                                           f"({target}), not followed", str(found.dir)))
        return None

    def _resolve(self, import_path: str, importer: ModuleInfo | None, importer_dir: Path) -> Resolved | None:
        if import_path in ("C", "unsafe") or not import_path:
            return None
        first = import_path.split("/", 1)[0]
        if self.goroot_src is not None and "." not in first:
            std = self.goroot_src / import_path
            if self._is_dir(std):
                return Resolved(import_path, std, self.owner(std), is_std=True)
        if self.goroot_src is not None and "." in first:
            src = self.goroot_src
            try:
                rel = importer_dir.relative_to(src).as_posix()
            except ValueError:
                rel = None
            if rel is not None:
                vendor = src / ("cmd/vendor" if rel == "cmd" or rel.startswith("cmd/") else "vendor")
                if self._is_dir(vendor / import_path):
                    return Resolved(import_path, vendor / import_path, self.owner(vendor), is_std=True)
        if importer is not None:
            found = self._resolve_in_module(import_path, importer)
            if found is not None:
                return found
        if self.bare:
            local = self.bare_base / import_path
            if self._is_dir(local):
                return Resolved(import_path, local, None)
        return None

    @functools.cached_property
    def bare_base(self) -> Path:
        """Where the import paths of a bare tree start: the `src` of a GOPATH layout (the tree is
        GOPATH, or lies inside the src of a $GOPATH entry, else of a directory named src), else the
        tree itself."""
        if is_dir(self.root / "src") and not any(self.root.glob("*.go")):
            return self.root / "src"
        gopath = [Path(p, "src").resolve() for p in os.environ.get("GOPATH", "").split(os.pathsep) if p]
        declared = next((p for p in gopath if p == self.root or p in self.root.parents), None)
        return declared or next((p for p in [self.root, *self.root.parents] if p.name == "src"), self.root)

    def _resolve_in_module(self, import_path: str, module: ModuleInfo) -> Resolved | None:
        if module.path != "std" and (import_path == module.path or import_path.startswith(module.path + "/")):
            rel = import_path[len(module.path):].lstrip("/")
            directory = module.dir / rel if rel else module.dir
            if self._is_dir(directory):
                return Resolved(import_path, directory, module)
        for main in self.modules:  # other main modules under the root (a monorepo)
            if main is not module and (import_path == main.path or import_path.startswith(main.path + "/")):
                rel = import_path[len(main.path):].lstrip("/")
                directory = main.dir / rel if rel else main.dir
                if self._is_dir(directory):
                    return Resolved(import_path, directory, main)
        if module.vendor is not None:
            directory = module.dir / "vendor" / import_path
            if self._is_dir(directory):
                return Resolved(import_path, directory, module)
        gomod = module.gomod
        if gomod is None:
            return None
        candidates = sorted((r for r in gomod.requires if import_path == r.path or import_path.startswith(r.path + "/")),
                            key=lambda r: len(r.path), reverse=True)
        for requirement in candidates:
            dep = self._dependency(module, requirement.path, requirement.version)
            if dep is None:
                continue
            rel = import_path[len(requirement.path):].lstrip("/")
            directory = dep.dir / rel if rel else dep.dir
            if self._is_dir(directory):
                return Resolved(import_path, directory, dep)
        return None

    def _dependency(self, requirer: ModuleInfo, path: str, version: str) -> ModuleInfo | None:
        """A required module's directory, after the requirer's replace directives."""
        replacement, base = self._replacement(requirer, path, version)
        target_path, target_version = path, version
        local_dir: Path | None = None
        if replacement is not None:
            if replacement.is_local:
                local_dir = (base / replacement.new_path).resolve()
            else:
                target_path, target_version = replacement.new_path, replacement.new_version
        key = (str(local_dir) if local_dir else target_path, target_version)
        if key in self._dep_modules:
            return self._dep_modules[key]
        directory: Path | None = None
        if local_dir is not None:
            directory = local_dir if self._is_dir(local_dir) else None
        else:
            leaf = f"{escape_module_path(target_path)}@{escape_module_path(target_version or '')}"
            caches = [*self.gomodcaches, *(m.dir / d for m in self.modules for d in LOCAL_MODCACHE_DIRS)]
            directory = next((c / leaf for c in caches if self._is_dir(c / leaf)), None)
        if directory is None:
            log.debug("module %s@%s not found in any module cache", target_path, target_version)
            return None
        gomod = None
        if self._is_file(directory / "go.mod"):
            try:
                gomod = parse_gomod(read_control_file(directory / "go.mod"), str(directory / "go.mod"))
            except OSError:
                gomod = None
        info = ModuleInfo(path=path, dir=directory, version=None if local_dir else target_version, gomod=gomod)
        self._dep_modules[key] = info
        self._owners.clear()
        return info

    def _replacement(self, requirer: ModuleInfo, path: str, version: str) -> tuple[Replacement | None, Path]:
        """The replace directive for a required module and the directory its local path is relative
        to: go.work's wins over the go.mod's, as in the go command's workspace mode."""
        if self.gowork is not None and self.gowork_dir is not None:
            chosen = GoMod(replaces=self.gowork.replaces).replacement(path, version)
            if chosen is not None:
                return chosen, self.gowork_dir
        return (requirer.gomod.replacement(path, version) if requirer.gomod else None), requirer.dir

    def display_path(self, path: str | Path) -> str:
        """A file's path as people cite it: relative to its module root, or `module@version/...`."""
        p = Path(path)
        module = self.owner(p.parent)
        if self.goroot_src is not None:
            try:
                return p.relative_to(self.goroot_src).as_posix()
            except ValueError:
                pass
        if module is not None:
            rel = p.relative_to(module.dir).as_posix()
            if module.main:
                main_root = self.modules[0].dir
                try:
                    return p.relative_to(main_root).as_posix()
                except ValueError:
                    return rel
            if module.version:
                return f"{module.path}@{module.version}/{rel}"
            return f"{module.path}/{rel}"
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return p.as_posix()


def open_workspace(path: str | Path, *, goroot: str | Path | None = None,
                   gomodcache: list[str | Path] | None = None) -> Workspace:
    """Find the module around `path` (and modules nested under it). Raises on a bad path."""
    root = Path(path)
    if not root.exists():
        raise UsageError(f"no such file or directory: {path}")
    if not root.is_dir():
        raise UsageError(f"not a directory: {path} (give the directory of a Go module or package)")
    try:
        root = root.resolve(strict=True)
        os.listdir(root)
    except (OSError, RuntimeError) as error:
        raise LoadError(f"cannot read directory {path}: {error}") from error
    diagnostics: list[Diagnostic] = []
    if goroot in ("", "none"):
        goroot_path = None  # explicitly without the standard library
    else:
        goroot_path = Path(goroot).resolve() if goroot else default_goroot()
    if goroot not in (None, "", "none") and not is_dir(Path(goroot) / "src"):
        raise UsageError(f"--goroot {goroot} has no src/ directory")
    caches = [Path(c).resolve() for c in gomodcache] if gomodcache else default_gomodcaches()
    modules: list[ModuleInfo] = []
    module_root = find_module_root(root)
    if module_root is not None:
        modules.append(_read_module(module_root, diagnostics, main=True))
    elif (vendor_mod := find_vendor_mod(root)) is not None:
        module_root = vendor_mod.parent
        diagnostics.append(Diagnostic(Severity.WARNING, "no go.mod: vendor.mod read as the module file, as the "
                                      "project's build scripts copy it to go.mod", str(vendor_mod)))
        modules.append(_read_module(module_root, diagnostics, main=True, module_file="vendor.mod"))
    package_dirs, nested_modules = _walk_tree(root, diagnostics)
    for nested in nested_modules:
        if module_root is None or nested != module_root:
            modules.append(_read_module(nested, diagnostics, main=True))
    known = {m.dir for m in modules}
    gowork_file = find_gowork(module_root or root, os.environ.get("GOWORK"))
    gowork = _read_gowork(gowork_file, diagnostics) if gowork_file is not None else None
    for used in _workspace_modules(gowork_file, gowork, diagnostics):
        if used not in known:
            known.add(used)
            modules.append(_read_module(used, diagnostics, main=True))
    bare = not modules
    if bare:
        diagnostics.append(Diagnostic(Severity.WARNING, "no go.mod found: analysing the directory as a bare package tree",
                                      str(root)))
    return Workspace(root=root, modules=modules, goroot=goroot_path, gomodcaches=caches,
                     diagnostics=diagnostics, bare=bare, package_dirs=package_dirs, gowork=gowork,
                     gowork_dir=gowork_file.parent if gowork_file is not None else None)


def find_gowork(start: Path, setting: str | None) -> Path | None:
    """The go.work in effect, as the go command picks it: $GOWORK=off means none, another non-empty
    $GOWORK names the file, else the nearest go.work at or above `start`."""
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    return next((d / "go.work" for d in [start, *start.parents] if is_file(d / "go.work")), None)


def _read_gowork(path: Path, diagnostics: list[Diagnostic]) -> GoWork | None:
    try:
        text = read_control_file(path)
    except OSError as error:
        diagnostics.append(Diagnostic(Severity.WARNING, f"cannot read go.work: {reason(error)}", str(path)))
        return None
    gowork = parse_gowork(text, str(path))
    diagnostics.extend(gowork.diagnostics)
    for replacement in gowork.replaces:
        if replacement.is_local and not is_dir(path.parent / replacement.new_path):
            diagnostics.append(Diagnostic(
                Severity.WARNING, f"replace {replacement.old_path} => {replacement.new_path}: no such directory; "
                "its packages stay unresolved", str(path), replacement.line))
    return gowork


def _workspace_modules(path: Path | None, gowork: GoWork | None, diagnostics: list[Diagnostic]) -> list[Path]:
    """The module directories go.work uses: their packages resolve there rather than in a module cache."""
    used = []
    for line, relative in gowork.uses if gowork is not None and path is not None else ():
        target = (path.parent / relative).resolve()
        if is_file(target / "go.mod"):
            used.append(target)
        else:
            diagnostics.append(Diagnostic(Severity.WARNING, f"use {relative}: no go.mod in {target}", str(path), line))
    return used


def _read_module(directory: Path, diagnostics: list[Diagnostic], main: bool, module_file: str = "go.mod") -> ModuleInfo:
    gomod_path = directory / module_file
    try:
        text = read_control_file(gomod_path)
    except OSError as error:
        diagnostics.append(Diagnostic(Severity.WARNING, f"cannot read go.mod: {reason(error)}", str(gomod_path)))
        text = ""
    gomod = parse_gomod(text, str(gomod_path))
    diagnostics.extend(gomod.diagnostics)
    vendor = None
    for replacement in gomod.replaces:
        if replacement.is_local and not is_dir(directory / replacement.new_path):
            diagnostics.append(Diagnostic(
                Severity.WARNING, f"replace {replacement.old_path} => {replacement.new_path}: no such directory; "
                "its packages stay unresolved", str(gomod_path), replacement.line))
    modules_txt = directory / "vendor" / "modules.txt"
    vendored = _read_modules_txt(modules_txt, diagnostics) if os.path.lexists(modules_txt) else None
    if vendored is not None:
        vendor = parse_modules_txt(vendored)
        diagnostics.extend(Diagnostic(Severity.WARNING, f"inconsistent vendoring: {why}", str(modules_txt))
                           for why in vendoring_mismatches(gomod, vendored))
    elif is_dir(directory / "vendor") and gomod.module in ("std", "cmd"):
        vendor = {}
    return ModuleInfo(path=gomod.module or directory.name, dir=directory, gomod=gomod, main=main, vendor=vendor)


def _read_modules_txt(path: Path, diagnostics: list[Diagnostic]) -> str | None:
    try:
        return read_control_file(path)
    except OSError as error:
        diagnostics.append(Diagnostic(Severity.WARNING, f"cannot read vendor/modules.txt: {reason(error)}; "
                                      "vendored packages stay unresolved", str(path)))
        return None


def _walk_tree(root: Path, diagnostics: list[Diagnostic]) -> tuple[list[Path], list[Path]]:
    """One walk of the tree as the go command sees it: the directories holding .go files, and the
    directories below root with a go.mod of their own (nested modules). A directory link is followed
    only when it leads to a place inside the tree: a link to `/` or to another checkout must not
    make the rest of the filesystem part of the analysis (and of the published pages)."""
    package_dirs: list[Path] = []
    nested: list[Path] = []
    seen: set[tuple[int, int]] = set()
    inside = os.path.realpath(root)
    for directory, subdirs, files in os.walk(root, followlinks=True, onerror=lambda e: diagnostics.append(
            Diagnostic(Severity.WARNING, f"cannot read directory: {e.strerror}", str(e.filename or "")))):
        try:
            stat = os.stat(directory)
        except OSError:
            subdirs[:] = []
            continue
        key = (stat.st_dev, stat.st_ino)
        if key in seen:
            diagnostics.append(Diagnostic(Severity.WARNING, "symlink to a directory already walked "
                                          "(a loop or an alias), skipped", directory))
            subdirs[:] = []
            continue
        seen.add(key)
        # real directories before links, so an alias never stands in for the directory it names
        subdirs[:] = sorted((d for d in subdirs if not skip_dir(d) and _contained(directory, d, inside, diagnostics)),
                            key=lambda d: (os.path.islink(os.path.join(directory, d)), d))
        if any(f.endswith(".go") for f in files):
            package_dirs.append(Path(directory))
        if "go.mod" in files and directory != str(root):
            if os.path.isfile(os.path.join(directory, "go.mod")):
                nested.append(Path(directory))
            else:  # a FIFO would block the read of it forever
                diagnostics.append(Diagnostic(Severity.WARNING, "skipped: not a regular file (FIFO, socket or device)",
                                              os.path.join(directory, "go.mod")))
    return package_dirs, nested


def _contained(directory: str, name: str, inside: str, diagnostics: list[Diagnostic]) -> bool:
    path = os.path.join(directory, name)
    if not os.path.islink(path):
        return True
    target = os.path.realpath(path)
    if is_within(target, (inside,)):
        return True
    diagnostics.append(Diagnostic(Severity.WARNING, f"symlink leads out of the tree ({target}), not followed", path))
    return False


def is_dir(path: Path, denied: list[str] | None = None) -> bool:
    """Path.is_dir, except that a directory we may not look into is no directory (noted in
    `denied`) instead of an exception that would end the whole analysis."""
    try:
        return path.is_dir()
    except OSError:
        if denied is not None:
            denied.append(str(path))
        return False


def is_file(path: Path, denied: list[str] | None = None) -> bool:
    try:
        return path.is_file()
    except OSError:
        if denied is not None:
            denied.append(str(path))
        return False


def is_within(path: str, roots: tuple[str, ...]) -> bool:
    """Whether `path` (resolved) is one of `roots` or below one of them."""
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def skip_dir(name: str) -> bool:
    """Directories the go command never treats as packages of the tree."""
    return name.startswith((".", "_")) or name in ("testdata", "vendor", "node_modules")
