"""Go's module path patterns: path.Match globs and module.MatchPrefixPatterns.

GOPRIVATE, GONOPROXY, GONOSUMDB and GOINSECURE are comma-separated globs in path.Match
syntax; each glob is matched against as many leading path elements of the module path as the
glob has. A malformed glob never matches (the go command ignores the syntax error), so it is
worth reporting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


_SPECIAL = re.compile(r"[*?\[\\]")


class BadPattern(ValueError):
    """The glob is not valid path.Match syntax (Go's path.ErrBadPattern)."""


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "lit", "any" (?), "star" (*), "class" ([...])
    char: str = ""
    negated: bool = False
    ranges: tuple[tuple[str, str], ...] = ()


def _class_char(pattern: str, i: int) -> tuple[str, int]:
    """One character of a [...] class, honouring backslash escapes; rules of Go's getEsc."""
    if i >= len(pattern) or pattern[i] in "-]":
        raise BadPattern(pattern)
    if pattern[i] == "\\":
        i += 1
        if i >= len(pattern):
            raise BadPattern(pattern)
    char = pattern[i]
    i += 1
    if i >= len(pattern):  # a class must be closed after this character
        raise BadPattern(pattern)
    return char, i


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> tuple[_Token, ...]:
    """Tokens of a path.Match pattern; BadPattern for the cases Go rejects."""
    tokens: list[_Token] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            tokens.append(_Token("star"))
            i += 1
        elif c == "?":
            tokens.append(_Token("any"))
            i += 1
        elif c == "\\":
            if i + 1 >= len(pattern):
                raise BadPattern(pattern)
            tokens.append(_Token("lit", pattern[i + 1]))
            i += 2
        elif c == "[":
            i += 1
            negated = False
            if i < len(pattern) and pattern[i] == "^":
                negated = True
                i += 1
            ranges: list[tuple[str, str]] = []
            while True:
                if i < len(pattern) and pattern[i] == "]" and ranges:
                    i += 1
                    break
                lo, i = _class_char(pattern, i)
                hi = lo
                if pattern[i] == "-":
                    hi, i = _class_char(pattern, i + 1)
                ranges.append((lo, hi))
            tokens.append(_Token("class", negated=negated, ranges=tuple(ranges)))
        else:
            tokens.append(_Token("lit", c))
            i += 1
    return tuple(tokens)


def _token_matches(token: _Token, char: str) -> bool:
    if token.kind == "lit":
        return token.char == char
    if token.kind == "any":
        return char != "/"
    inside = any(lo <= char <= hi for lo, hi in token.ranges)
    return inside != token.negated


def _chunks(tokens: tuple[_Token, ...]) -> list[tuple[bool, tuple[_Token, ...]]]:
    """Go's scanChunk: (preceded by a star, the star-free tokens up to the next star)."""
    chunks: list[tuple[bool, tuple[_Token, ...]]] = []
    i = 0
    while i < len(tokens):
        star = False
        while i < len(tokens) and tokens[i].kind == "star":
            star, i = True, i + 1
        j = i
        while j < len(tokens) and tokens[j].kind != "star":
            j += 1
        chunks.append((star, tokens[i:j]))
        i = j
    return chunks


def _match_chunk(chunk: tuple[_Token, ...], name: str) -> str | None:
    """The rest of name after chunk matched at its start, or None (Go's matchChunk)."""
    if len(name) < len(chunk):
        return None
    for token, char in zip(chunk, name):
        if not _token_matches(token, char):
            return None
    return name[len(chunk):]


def path_match(pattern: str, name: str) -> bool:
    """Go's path.Match: '*' and '?' never match '/', classes match any single character.

    The algorithm is Go's, not a general glob matcher: after a star, each chunk is committed at
    its leftmost match and never revisited (only the last chunk must end the name), so
    path.Match("*[/a]*c", "a/c") is false. Raises BadPattern for malformed patterns, as Go
    does (whether or not the name matches).
    """
    if not _SPECIAL.search(pattern):
        return pattern == name  # no glob syntax: a plain comparison
    chunks = _chunks(compile_glob(pattern))
    for index, (star, chunk) in enumerate(chunks):
        last = index == len(chunks) - 1
        if star and not chunk:
            return "/" not in name  # a trailing star matches the rest unless it has a '/'
        rest = _after_chunk(chunk, name, star, last)
        if rest is None:
            return False
        name = rest
    return name == ""


def _after_chunk(chunk: tuple[_Token, ...], name: str, star: bool, last: bool) -> str | None:
    """Where matching goes on after one chunk: its leftmost match, the star before it (if any)
    skipping no '/'; the last chunk must end the name. None when the chunk cannot match."""
    for skip in range(len(name) + 1):
        if skip and (not star or name[skip - 1] == "/"):
            return None
        rest = _match_chunk(chunk, name[skip:])
        if rest is not None and (rest == "" or not last):
            return rest
    return None


def split_globs(globs: str) -> list[str]:
    """The non-empty globs of a comma-separated list, trailing '/' removed, in order (a repeated
    glob once: the first match is all that counts)."""
    result: dict[str, None] = {}
    for glob in globs.split(","):
        if glob.endswith("/"):
            glob = glob[:-1]
        if glob:
            result[glob] = None
    return list(result)


def leading_elements(target: str, glob: str) -> str | None:
    """The first N+1 path elements of target for a glob with N slashes; None if too short."""
    wanted = glob.count("/") + 1
    parts = target.split("/")
    if len(parts) < wanted:
        return None
    return "/".join(parts[:wanted])


def matching_glob(globs: str, target: str) -> str | None:
    """The first glob of the list that matches target (module.MatchPrefixPatterns), or None."""
    for glob in split_globs(globs):
        prefix = leading_elements(target, glob)
        if prefix is None:
            continue
        try:
            if path_match(glob, prefix):
                return glob
        except BadPattern:
            continue
    return None


def covering_glob(globs: str, host: str) -> str | None:
    """The first glob of the list that matches some module paths on `host`: its first path element
    matches the host. `github.com/org/*` covers github.com's modules of that org, `*.corp` all of a
    host's modules; a malformed glob covers nothing (the go command ignores it)."""
    for glob in split_globs(globs):
        try:
            compile_glob(glob)
            if path_match(glob.split("/")[0], host):
                return glob
        except BadPattern:
            continue
    return None


def match_prefix_patterns(globs: str, target: str) -> bool:
    """module.MatchPrefixPatterns: whether any glob matches a leading part of target."""
    return matching_glob(globs, target) is not None


def bad_globs(globs: str) -> list[str]:
    """Globs of the list that Go silently ignores because their syntax is invalid."""
    bad = []
    for glob in split_globs(globs):
        try:
            compile_glob(glob)
        except BadPattern:
            bad.append(glob)
    return bad
