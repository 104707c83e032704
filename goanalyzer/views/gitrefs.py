"""Where a checked-out tree came from: its remote's web address and the tag or commit it is at.

Read from `.git` as text, never by running git: an analysed tree is untrusted, and its config can
name programs git would run (fsmonitor, hooks, credential helpers). Only github.com and gitlab.com
remotes are understood, since their permalink shapes are known; a remote with credentials in it
(`https://user:token@host/...`) is reduced to host and path, the credentials are never kept.
"""

from __future__ import annotations

__all__ = ["Checkout", "find_checkout", "web_repository"]

import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

HOSTS = ("github.com", "gitlab.com")
MAX_READ = 8 << 20
"""Bytes read at most from one git file (packed-refs of a big repository are a few MB)."""
MAX_TAGS = 5000
_SHA = re.compile(r"^[0-9a-f]{40}$")
_REMOTE = re.compile(r"""^(?:(?:https?|ssh|git)://(?:[^@/]*@)?(?P<host>[^/:]+)(?::\d+)?/
                        |(?:[^@/]*@)?(?P<scp>[^/:]+):)(?P<path>[^?#]+?)(?:\.git)?/?$""", re.X)


@dataclass(frozen=True, slots=True)
class Checkout:
    root: Path
    """The work tree's top directory (where `.git` is)."""
    web: str
    """https://github.com/owner/repo (no credentials, no `.git`)."""
    ref: str
    """A tag pointing at HEAD when there is one, else HEAD's commit."""

    def blob_url(self, path: str, line: int | None = None) -> str:
        """The permalink of a file (path relative to `root`) at `ref`."""
        middle = "/-/blob/" if self.web.startswith("https://gitlab.com/") else "/blob/"
        return f"{self.web}{middle}{self.ref}/{quote(path)}" + (f"#L{line}" if line else "")


def web_repository(remote_url: str) -> str | None:
    """`git@github.com:o/r.git`, `https://tok@github.com/o/r`, `ssh://git@gitlab.com/g/s/r.git` ->
    `https://github.com/o/r`; None for another host or shape."""
    match = _REMOTE.match(remote_url.strip())
    if not match:
        return None
    host = (match["host"] or match["scp"] or "").lower()
    path = match["path"].strip("/")
    if host not in HOSTS or path.count("/") < 1 or ".." in path.split("/"):
        return None
    if not re.fullmatch(r"[A-Za-z0-9_.\-/]+", path):
        return None
    return f"https://{host}/{path}"


def find_checkout(start: str | Path) -> Checkout | None:
    """The checkout holding `start` (walking up to its `.git`) when its remote is a known host and
    its HEAD can be read; None otherwise."""
    here = Path(start).resolve()
    for directory in (here, *here.parents):
        dotgit = directory / ".git"
        if dotgit.is_symlink():
            return None
        if dotgit.is_dir() or dotgit.is_file():
            return _checkout(directory, dotgit)
    return None


def _read(path: Path) -> str | None:
    try:
        if path.is_symlink() or not path.is_file():
            return None
        with path.open("rb") as handle:
            return handle.read(MAX_READ).decode("utf-8", errors="replace")
    except OSError:
        return None


def _checkout(root: Path, dotgit: Path) -> Checkout | None:
    gitdir = dotgit
    if dotgit.is_file():  # a worktree or submodule: `gitdir: <path>`
        text = _read(dotgit) or ""
        if not text.startswith("gitdir:"):
            return None
        gitdir = (root / text[len("gitdir:"):].strip()).resolve()
    common = gitdir
    pointer = _read(gitdir / "commondir")
    if pointer:
        common = (gitdir / pointer.strip()).resolve()
    web = _remote(_read(common / "config") or "")
    commit = _head(gitdir, common)
    if web is None or commit is None:
        return None
    return Checkout(root, web, _tag_at(common, commit) or commit)


def _remote(config: str) -> str | None:
    """The web address of `origin`, else of the first remote with a known host."""
    remotes: dict[str, str] = {}
    section = None
    for raw in config.splitlines():
        line = raw.strip()
        header = re.match(r'^\[\s*remote\s+"([^"]*)"\s*\]', line)
        if header:
            section = header[1]
            continue
        if line.startswith("["):
            section = None
            continue
        key, _, value = line.partition("=")
        if section is not None and key.strip().lower() == "url" and section not in remotes:
            web = web_repository(value.strip().strip('"'))
            if web:
                remotes[section] = web
    return remotes.get("origin") or next(iter(remotes.values()), None)


def _ref(common: Path, gitdir: Path, name: str) -> str | None:
    if ".." in name.split("/"):
        return None
    for base in (gitdir, common):
        value = (_read(base / name) or "").strip()
        if _SHA.match(value):
            return value
    for ref, sha, _peeled in _packed(common):
        if ref == name:
            return sha
    return None


def _head(gitdir: Path, common: Path) -> str | None:
    head = (_read(gitdir / "HEAD") or "").strip()
    if _SHA.match(head):
        return head
    if head.startswith("ref:"):
        return _ref(common, gitdir, head[4:].strip())
    return None


def _packed(common: Path) -> list[tuple[str, str, str | None]]:
    """(ref, sha, peeled sha of an annotated tag) from packed-refs."""
    out: list[tuple[str, str, str | None]] = []
    for line in (_read(common / "packed-refs") or "").splitlines():
        if line.startswith("^") and out and _SHA.match(line[1:].strip()):
            ref, sha, _ = out[-1]
            out[-1] = (ref, sha, line[1:].strip())
        elif not line.startswith("#"):
            sha, _, ref = line.partition(" ")
            if _SHA.match(sha):
                out.append((ref.strip(), sha, None))
    return out


def _peel_loose(common: Path, sha: str) -> str | None:
    """The commit a loose annotated tag object points at (`object <sha>` in its header)."""
    path = common / "objects" / sha[:2] / sha[2:]
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 1 << 20:
            return None
        data = zlib.decompressobj().decompress(path.read_bytes(), 4096)
    except (OSError, zlib.error):
        return None
    match = re.match(rb"tag \d+\x00object ([0-9a-f]{40})\n", data)
    return match[1].decode() if match else None


def _tag_at(common: Path, commit: str) -> str | None:
    """A tag naming `commit` (a release tag `v...` preferred, then the first by name)."""
    tags: list[str] = []
    for ref, sha, peeled in _packed(common):
        if ref.startswith("refs/tags/") and commit in (sha, peeled):
            tags.append(ref[len("refs/tags/"):])
    directory = common / "refs" / "tags"
    if directory.is_dir() and not directory.is_symlink():
        for index, path in enumerate(sorted(directory.rglob("*"))):
            if index >= MAX_TAGS:
                break
            sha = (_read(path) or "").strip()
            if _SHA.match(sha) and (sha == commit or _peel_loose(common, sha) == commit):
                tags.append(path.relative_to(directory).as_posix())
    if not tags:
        return None
    return sorted(set(tags), key=lambda t: (not re.match(r"v\d", t), t))[0]
