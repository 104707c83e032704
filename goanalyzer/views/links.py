"""Links to source lines that are true: each file links to where that exact version lives.

- the analysed module's files: through a `--link-base` template such as
  `https://github.com/traefik/traefik/blob/v2.5.2/{path}#L{line}` (`{path}` module-relative), else
  through the git checkout the tree is in (its github.com/gitlab.com remote, at the tag on HEAD or
  HEAD's commit: gitrefs.py), else relative links to the files on disk (when the page can reach
  them) or none;
- a dependency from the module cache (`github.com/traefik/paerser@v0.1.4/cli/commands.go`): its
  repository at that version — a tag (`sub/v1.2.0` for a module in a sub-directory, `+incompatible`
  dropped) or, for a pseudo-version, its commit; a replaced module links to the replacement it was
  read from. Only github.com and gitlab.com are known (for gitlab, owner/repo are the first two
  path elements);
- the standard library: github.com/golang/go at GOROOT's `VERSION`.
"""

from __future__ import annotations

__all__ = ["Linker", "module_file_url"]

import os
import re
from pathlib import Path
from urllib.parse import quote

from goanalyzer.program import Program
from goanalyzer.views.gitrefs import HOSTS, Checkout, find_checkout

_MODCACHE = re.compile(r"^(?P<module>[^@]+)@(?P<version>[^/]+)/(?P<rest>.*)$")
_PSEUDO = re.compile(r"(?:^|[.-])\d{14}-(?P<commit>[0-9a-f]{12})$")
_MAJOR = re.compile(r"v\d+")


def _unescape(path: str) -> str:
    """Module-cache case escaping: `!b` stands for `B`."""
    return re.sub(r"!([a-z])", lambda m: m[1].upper(), path)


def module_file_url(module: str, version: str, rest: str, line: int | None = None) -> str | None:
    """The permalink of `rest` in module `module` at `version`, or None for an unknown host."""
    parts = module.split("/")
    if parts[0] not in HOSTS or len(parts) < 3:
        return None
    repo, sub = "/".join(parts[:3]), "/".join(parts[3:])
    if sub and _MAJOR.fullmatch(parts[-1]):
        sub = "/".join(parts[3:-1])  # github.com/o/r/v2: major branch, files at the root
    version = version.split("+", 1)[0]
    pseudo = _PSEUDO.search(version)
    ref = pseudo["commit"] if pseudo else (f"{sub}/{version}" if sub else version)
    path = f"{sub}/{rest}" if sub else rest
    middle = "/-/blob/" if parts[0] == "gitlab.com" else "/blob/"
    return f"https://{repo}{middle}{ref}/{quote(path)}" + (f"#L{line}" if line else "")


class Linker:
    """Turns (path, line) into a citation and a URL for pages written in `page_dir`.

    `has_links` says whether the analysed module's own files get links (a template, a known
    checkout, or relative links): a page claims "every citation links" only then."""

    def __init__(self, program: Program, link_base: str | None = None, page_dir: str | Path | None = None,
                 relative: bool = True, checkout: Checkout | None | bool = True):
        self.program = program
        self.link_base = link_base
        self.page_dir = Path(page_dir).resolve() if page_dir is not None else None
        self.relative = relative
        workspace = program.workspace
        self._main_dir = Path(workspace.modules[0].dir).resolve() if workspace.modules else Path(workspace.root)
        if checkout is True:
            checkout = find_checkout(self._main_dir) if link_base is None else None
        self.checkout: Checkout | None = checkout or None
        self._by_display: dict[str, str] = {}
        for package in program.packages.values():
            for facts in package.files:
                self._by_display[program.display_path(facts.path)] = facts.path
        self._std_ref = self._go_version()

    @property
    def has_links(self) -> bool:
        return bool(self.link_base or self.checkout or (self.relative and self.page_dir is not None))

    @property
    def source(self) -> str:
        """Where the module's links point, in words (for a page's footer)."""
        if self.link_base:
            return "the --link-base template"
        if self.checkout:
            return f"{self.checkout.web} at {self.checkout.ref}"
        return "the files on disk" if self.relative and self.page_dir is not None else "nowhere"

    def _go_version(self) -> str | None:
        goroot = self.program.workspace.goroot
        if goroot is None:
            return None
        try:
            first = (Path(goroot) / "VERSION").read_text(encoding="utf-8", errors="replace").splitlines()[0]
        except (OSError, IndexError):
            return None
        return first.strip() if re.fullmatch(r"go\d+(\.\d+)*(rc\d+|beta\d+)?", first.strip()) else None

    # ------------------------------------------------------------------ paths
    def absolute(self, path: str) -> str | None:
        """The file on disk for a display path (or an absolute path)."""
        if os.path.isabs(path):
            return path
        if path in self._by_display:
            return self._by_display[path]
        candidate = Path(self.program.workspace.root) / path
        return str(candidate) if candidate.exists() else None

    def display(self, path: str) -> str:
        """Module-relative path, or module-cache path for a dependency's file."""
        return self.program.display_path(path) if os.path.isabs(path) else path

    def _in_main(self, absolute: str) -> str | None:
        """The path relative to the main module when the file is in it (not std, not a cached dependency)."""
        module = self.program.workspace.owner(Path(absolute).parent)
        if module is None or not module.main:
            return None
        try:
            return Path(absolute).resolve().relative_to(self._main_dir).as_posix()
        except ValueError:
            return None

    def _dependency_url(self, absolute: str | None, display: str, line: int | None) -> str | None:
        workspace = self.program.workspace
        if absolute is not None:
            if workspace.goroot_src is not None and self._std_ref:
                try:
                    rel = Path(absolute).resolve().relative_to(workspace.goroot_src).as_posix()
                    return f"https://github.com/golang/go/blob/{self._std_ref}/src/{rel}" + (
                        f"#L{line}" if line else "")
                except ValueError:
                    pass
            module = workspace.owner(Path(absolute).parent)
            if module is not None and module.version:
                source = _cache_module(Path(module.dir)) or module.path
                rest = Path(absolute).relative_to(module.dir).as_posix()
                return module_file_url(source, module.version, rest, line)
            if self.checkout is not None:  # a local replacement inside the same checkout
                try:
                    rel = Path(absolute).resolve().relative_to(self.checkout.root).as_posix()
                    return self.checkout.blob_url(rel, line)
                except ValueError:
                    return None
            return None
        match = _MODCACHE.match(display)
        return module_file_url(match["module"], match["version"], match["rest"], line) if match else None

    def url(self, path: str, line: int | None = None) -> str | None:
        """Where a link to `path:line` goes, or None. File names come from the analysed tree, so the
        path part is percent-encoded (a file named `javascript:alert(1);f.go` stays a relative path)
        and only http(s) or relative URLs are ever returned."""
        url = self._url(path, line)
        return url if url is None or _SAFE_URL.match(url) else None

    def _url(self, path: str, line: int | None = None) -> str | None:
        display = self.display(path)
        absolute = self.absolute(path)
        own = self._in_main(absolute) if absolute is not None else None
        if own is None:
            url = self._dependency_url(absolute, display, line)
            if url is not None or absolute is None:
                return url
        elif self.link_base:
            return self.link_base.replace("{path}", quote(own)).replace("{line}", str(line or 1))
        elif self.checkout is not None:
            rel = Path(absolute).resolve().relative_to(self.checkout.root).as_posix()
            return self.checkout.blob_url(rel, line)
        if not self.relative or self.page_dir is None:
            return None
        rel = os.path.relpath(absolute, self.page_dir).replace(os.sep, "/")
        return quote(rel) + (f"#L{line}" if line else "")

    def cite(self, path: str, line: int | None = None) -> str:
        """Markdown: `path:line` as code, linked when a URL exists."""
        display = self.display(path)
        text = f"`{display}:{line}`" if line else f"`{display}`"
        url = self.url(path, line)
        return f"[{text}]({url})" if url else text


_SAFE_URL = re.compile(r"(https?://|[^:]*$|[^:/?#]*[/?#])", re.IGNORECASE)
"""An http(s) URL, or a relative one (no scheme: no colon before the first / ? or #)."""


def _cache_module(directory: Path) -> str | None:
    """`.../github.com/containous/mux@v0.0.0-...` -> `github.com/containous/mux`: the module a
    cache directory holds (a replacement's own path, not the path it replaces)."""
    name = directory.name
    if "@" not in name:
        return None
    parts = [name.split("@", 1)[0]]
    for parent in directory.parents:
        parts.insert(0, parent.name)
        if parent.name in HOSTS:
            return _unescape("/".join(parts))
    return None
