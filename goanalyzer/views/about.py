"""What a reader is told first: the program's version and one paragraph on what it is.

Both come from files beside the code, read as text and never trusted: the version from the git
checkout (the tag on HEAD, as gitrefs.py reads it; git is never run) or from a release folder's name
(`traefik-2.5.2`); the paragraph from the README's first prose paragraph. Links out of the tree are
not followed.
"""

from __future__ import annotations

import re
from pathlib import Path

from goanalyzer.views.gitrefs import find_checkout

README_NAMES = ("README.md", "README", "README.rst", "README.txt")
ABOUT_LIMIT = 600
"""Characters of the README paragraph shown; a longer one is cut at a sentence or word."""

RELEASE_DIR = re.compile(r"-v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)$")
SHA = re.compile(r"[0-9a-f]{40}")


def release_version(root: str | Path) -> str | None:
    """`v2.5.2` for a checkout whose HEAD is tagged, `2.5.2` for a folder named `traefik-2.5.2`."""
    root = Path(root)
    checkout = find_checkout(root)
    if checkout is not None and not SHA.fullmatch(checkout.ref):
        return checkout.ref
    match = RELEASE_DIR.search(root.resolve().name)
    return match.group(1) if match else None


def module_title(program) -> str:
    """`github.com/traefik/traefik/v2 2.5.2`: the module and, when known, its version."""
    version = release_version(program.workspace.root)
    return f"{program.module_path} {version}" if version else program.module_path


def about(root: str | Path) -> str | None:
    """The README's first prose paragraph (no headings, badges, HTML or code), plain and short."""
    root = Path(root)
    for name in README_NAMES:
        text = _read_inside(root, root / name)
        if text is None:
            continue
        for block in re.split(r"\n\s*\n", text):
            paragraph = _prose(block)
            if paragraph:
                return _cut(paragraph)
    return None


def _prose(block: str) -> str:
    lines = [line.strip() for line in block.strip().splitlines()]
    if not lines or any(line.startswith(("#", "<", "![", "[![", "```", "|", "=", "-", "*", ">")) for line in lines[:1]):
        return ""
    if all(set(line) <= set("=-~") for line in lines[1:]) and len(lines) > 1:
        return ""  # a setext heading
    text = " ".join(lines)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text if len(text) > 20 else ""


def _cut(text: str) -> str:
    if len(text) <= ABOUT_LIMIT:
        return text
    head = text[:ABOUT_LIMIT]
    end = head.rfind(". ")
    return head[:end + 1] if end > ABOUT_LIMIT // 2 else head.rsplit(" ", 1)[0] + " …"


def _read_inside(root: Path, path: Path, limit: int = 1 << 20) -> str | None:
    """A small text file under `root`, never through a link out of it."""
    try:
        resolved = path.resolve()
        if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
            return None
        with resolved.open("rb") as handle:
            return handle.read(limit).decode("utf-8", errors="replace")
    except OSError:
        return None
