"""Links to source lines: a `--link-base` template, relative links to the files on disk, or none.

A template such as `https://github.com/traefik/traefik/blob/v2.5.2/{path}#L{line}` applies to the
files of the analysed module (`{path}` is the module-relative path). A file of a dependency is
cited by its module-cache path (`github.com/traefik/paerser@v0.1.4/cli/commands.go`); with a
template it links to the dependency's own repository when that is on github.com, without one it
gets a relative link to the file on disk.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from goanalyzer.program import Program

_MODCACHE = re.compile(r"^(?P<module>github\.com/[^/@]+/[^/@]+)(?P<sub>(/[^@]*)?)@(?P<version>[^/]+)/(?P<rest>.*)$")


class Linker:
    """Turns (path, line) into a citation and a URL for pages written in `page_dir`."""

    def __init__(self, program: Program, link_base: str | None = None, page_dir: str | Path | None = None,
                 relative: bool = True):
        self.program = program
        self.link_base = link_base
        self.page_dir = Path(page_dir).resolve() if page_dir is not None else None
        self.relative = relative
        self._by_display: dict[str, str] = {}
        for package in program.packages.values():
            for facts in package.files:
                self._by_display[program.display_path(facts.path)] = facts.path

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

    def url(self, path: str, line: int | None = None) -> str | None:
        display = self.display(path)
        if self.link_base:
            if "@" not in display and self.absolute(path) is not None:
                return self.link_base.replace("{path}", display).replace("{line}", str(line or 1))
            match = _MODCACHE.match(display)
            if match:
                sub = match["sub"].strip("/")
                rest = f"{sub}/{match['rest']}" if sub and not re.fullmatch(r"v\d+", sub) else match["rest"]
                version = match["version"]
                if sub and not re.fullmatch(r"v\d+", sub):
                    version = f"{sub}/{version}"
                return f"https://{match['module']}/blob/{version}/{rest}" + (f"#L{line}" if line else "")
            return None
        if not self.relative or self.page_dir is None:
            return None
        absolute = self.absolute(path)
        if absolute is None:
            return None
        rel = os.path.relpath(absolute, self.page_dir).replace(os.sep, "/")
        return rel + (f"#L{line}" if line else "")

    def cite(self, path: str, line: int | None = None) -> str:
        """Markdown: `path:line` as code, linked when a URL exists."""
        display = self.display(path)
        text = f"`{display}:{line}`" if line else f"`{display}`"
        url = self.url(path, line)
        return f"[{text}]({url})" if url else text
