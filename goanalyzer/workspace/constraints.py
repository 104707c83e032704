"""Build constraints as the go command applies them: //go:build expressions and file name suffixes."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

KNOWN_OS = frozenset(
    "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 "
    "solaris wasip1 windows zos".split())
KNOWN_ARCH = frozenset(
    "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 "
    "mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm".split())
UNIX = frozenset("aix android darwin dragonfly freebsd hurd illumos ios linux netbsd openbsd solaris".split())


@dataclass(slots=True, frozen=True)
class BuildContext:
    goos: str = "linux"
    goarch: str = "amd64"
    tags: frozenset[str] = field(default_factory=frozenset)
    cgo: bool = True
    go_version_minor: int = 22
    """Release tags go1.1 ... go1.N are satisfied up to this minor version."""

    def satisfied(self, tag: str) -> bool:
        if tag in (self.goos, self.goarch) or tag in self.tags:
            return True
        if tag == "unix":
            return self.goos in UNIX
        if tag == "cgo":
            return self.cgo
        if tag == "gc":
            return True
        if tag == "linux" and self.goos == "android":
            return True
        if tag in ("darwin",) and self.goos == "ios":
            return True
        if tag in ("solaris",) and self.goos == "illumos":
            return True
        match = re.fullmatch(r"go1\.(\d+)", tag)
        return bool(match) and int(match.group(1)) <= self.go_version_minor


class ConstraintSyntaxError(ValueError):
    pass


_TOKENS = re.compile(r"\s*(\|\||&&|!|\(|\)|[A-Za-z0-9_.]+)")


@functools.lru_cache(maxsize=4096)
def evaluate(expression: str, context: BuildContext) -> bool:
    """Evaluate a //go:build expression: || && ! ( ) and tags; raises on malformed input.
    Memoised: a tree repeats a few hundred expressions over thousands of files."""
    tokens: list[str] = []
    position = 0
    text = expression.strip()
    while position < len(text):
        match = _TOKENS.match(text, position)
        if not match:
            raise ConstraintSyntaxError(f"unexpected {text[position:]!r} in build constraint")
        tokens.append(match.group(1))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    index = 0

    def peek() -> str | None:
        return tokens[index] if index < len(tokens) else None

    def take() -> str:
        nonlocal index
        if index >= len(tokens):
            raise ConstraintSyntaxError("unexpected end of build constraint")
        index += 1
        return tokens[index - 1]

    def or_expr() -> bool:
        value = and_expr()
        while peek() == "||":
            take()
            value = and_expr() or value
        return value

    def and_expr() -> bool:
        value = not_expr()
        while peek() == "&&":
            take()
            value = not_expr() and value
        return value

    def not_expr() -> bool:
        if peek() == "!":
            take()
            return not not_expr()
        token = take()
        if token == "(":
            value = or_expr()
            if take() != ")":
                raise ConstraintSyntaxError("missing )")
            return value
        if token in ("||", "&&", ")"):
            raise ConstraintSyntaxError(f"unexpected {token}")
        return token == "true" or context.satisfied(token)

    result = or_expr()
    if index != len(tokens):
        raise ConstraintSyntaxError(f"unexpected {tokens[index]!r}")
    return result


def name_matches(filename: str, context: BuildContext) -> bool:
    """The go command's file-name rule: name_GOOS, name_GOARCH, name_GOOS_GOARCH suffixes."""
    stem = filename[:-3] if filename.endswith(".go") else filename
    if stem.endswith("_test"):
        stem = stem[:-5]
    parts = stem.split("_")
    if len(parts) >= 3 and parts[-2] in KNOWN_OS and parts[-1] in KNOWN_ARCH:
        return context.satisfied(parts[-2]) and parts[-1] == context.goarch
    if len(parts) >= 2:
        last = parts[-1]
        if last in KNOWN_OS:
            return context.satisfied(last)
        if last in KNOWN_ARCH:
            return last == context.goarch
    return True


def header_constraint(source: bytes) -> str | None:
    """The build constraint in a file's header (before `package`): `//go:build` wins, else the
    legacy `// +build` lines ANDed together. Read from bytes so files can be filtered before parsing."""
    head = source[:65536]
    if b"go:build" not in head and b"+build" not in head:
        return None
    plus: list[str] = []
    in_block = False
    for raw in head.split(b"\n"):
        line = raw.strip()
        if in_block:
            if b"*/" in line:
                in_block = False
            continue
        if not line:
            continue
        if line.startswith(b"/*"):
            in_block = b"*/" not in line
            continue
        if not line.startswith(b"//"):
            break
        text = line.decode("utf-8", "replace")
        if text.startswith("//go:build"):
            return text[len("//go:build"):].strip()
        body = text[2:].strip()
        if body.startswith("+build"):
            plus.append(body[len("+build"):].strip())
    if not plus:
        return None
    return " && ".join(f"({_plus_build_to_expr(p)})" for p in plus)


def _plus_build_to_expr(line: str) -> str:
    """`// +build a,b c` means (a && b) || c; `!x` negates."""
    options = [" && ".join(term for term in option.split(",") if term) for option in line.split()]
    return " || ".join(f"({o})" for o in options if o) or "true"
