"""Build constraints as the go command applies them: //go:build expressions, file name suffixes, and
the build context as `go list` sets it up from the environment (GOFLAGS's -tags, CGO_ENABLED)."""

from __future__ import annotations

import functools
import os
import platform
import re
import shutil
import sys
from pathlib import Path
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from goanalyzer.errors import UsageError
from goanalyzer.workspace.files import read_control_file

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
    go_version_minor: int = 27
    """Release tags go1.1 ... go1.N are satisfied up to this minor version: the toolchain's (its
    GOROOT/VERSION), else NEWEST_GO_MINOR."""

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


CGO_PLATFORMS = frozenset(
    "aix/ppc64 android/386 android/amd64 android/arm android/arm64 darwin/amd64 darwin/arm64 dragonfly/amd64 "
    "freebsd/386 freebsd/amd64 freebsd/arm freebsd/arm64 freebsd/riscv64 illumos/amd64 ios/amd64 ios/arm64 "
    "linux/386 linux/amd64 linux/arm linux/arm64 linux/loong64 linux/mips linux/mips64 linux/mips64le "
    "linux/mipsle linux/ppc64 linux/ppc64le linux/riscv64 linux/s390x linux/sparc64 netbsd/386 netbsd/amd64 "
    "netbsd/arm netbsd/arm64 openbsd/386 openbsd/amd64 openbsd/arm openbsd/arm64 openbsd/mips64 "
    "solaris/amd64 windows/386 windows/amd64 windows/arm64".split())
"""GOOS/GOARCH pairs where cgo is on by default for a native build (go/build's cgoEnabled table)."""

_HOST_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64", "i386": "386",
              "i686": "386", "x86": "386", "armv6l": "arm", "armv7l": "arm", "ppc64le": "ppc64le",
              "ppc64": "ppc64", "s390x": "s390x", "riscv64": "riscv64", "loongarch64": "loong64",
              "mips64": "mips64", "mips": "mips"}


def host_platform() -> tuple[str, str]:
    """This machine as Go names it (GOHOSTOS, GOHOSTARCH), to tell a native build from a cross build."""
    system = "windows" if sys.platform == "win32" else re.sub(r"\d+$", "", sys.platform)
    machine = platform.machine().lower()
    return system, _HOST_ARCH.get(machine, machine)


def parse_tags(value: str) -> tuple[str, ...]:
    """A -tags value as the go command reads it: a comma-separated list, or (Go 1.12 and before, still
    accepted) a space-separated one, possibly quoted (`'a b'`)."""
    if " " in value or "'" in value or '"' in value:
        return tuple(_split_quoted(value))
    return tuple(tag for tag in value.split(",") if tag)


def _split_quoted(value: str) -> list[str]:
    """Words separated by spaces; '...' or "..." quote a word (no escapes), as cmd/internal/quoted."""
    words: list[str] = []
    for match in re.finditer(r"""'([^']*)'|"([^"]*)"|(\S+)""", value):
        word = next(group for group in match.groups() if group is not None)
        if word and "'" not in word and '"' not in word:
            words.append(word)
        elif word:
            raise UsageError(f"-tags {value!r}: unbalanced quote")
    return words


def goflags_tags(goflags: str) -> tuple[str, ...] | None:
    """The -tags setting in GOFLAGS (`-tags=a,b` or `--tags=a,b`; the last one wins, as in the go
    command), or None when GOFLAGS sets none. GOFLAGS words are split on spaces: a value cannot hold one."""
    tags = None
    for word in goflags.split():
        name, has_value, value = word.lstrip("-").partition("=")
        if name != "tags" or not word.startswith("-") or word.startswith("---"):
            continue
        if not has_value:
            raise UsageError(f"$GOFLAGS: flag {word} needs a value (-tags=a,b)")
        tags = parse_tags(value)
    return tags


def default_cgo(goos: str, goarch: str, environ: Mapping[str, str], host: tuple[str, str] | None = None) -> bool:
    """Whether the go command would build with cgo: CGO_ENABLED=1/0 decides; unset (or any other
    value), cgo is on only for a native build (target = this machine) of a platform that supports it,
    and, since Go 1.20, only when $CC is set or the default C compiler (gcc; clang on darwin, ios,
    freebsd, openbsd) is on $PATH."""
    setting = environ.get("CGO_ENABLED", "")
    if setting in ("0", "1"):
        return setting == "1"
    if (goos, goarch) != (host or host_platform()) or f"{goos}/{goarch}" not in CGO_PLATFORMS:
        return False
    if environ.get("CC"):
        return True
    compiler = "clang" if goos in ("darwin", "ios", "freebsd", "openbsd") else "gcc"
    return shutil.which(compiler, path=environ.get("PATH", os.defpath)) is not None


NEWEST_GO_MINOR = 27
"""The newest Go release known here (go1.27, August 2026: Go ships twice a year); release tags up to
it hold when no toolchain says otherwise."""


def build_context(goos: str, goarch: str, tags: Iterable[str] | None = None, cgo: bool | None = None,
                  environ: Mapping[str, str] | None = None, goroot: Path | None = None,
                  wanted: Iterable[str | None] = ()) -> BuildContext:
    """The build context `go list` would use. `tags` None means GOFLAGS's -tags (an explicit list
    replaces it, as -tags on the go command line does); `cgo` None means CGO_ENABLED or its default;
    release tags are those of the toolchain that would run (`release_minor`)."""
    environ = os.environ if environ is None else environ
    if tags is None:
        tags = goflags_tags(environ.get("GOFLAGS", "")) or ()
    if cgo is None:
        cgo = default_cgo(goos, goarch, environ)
    return BuildContext(goos=goos, goarch=goarch, tags=frozenset(tags), cgo=cgo,
                        go_version_minor=release_minor(goroot, wanted, environ))


def release_minor(goroot: Path | None, wanted: Iterable[str | None] = (),
                  environ: Mapping[str, str] | None = None) -> int:
    """N of the go1.N toolchain whose release tags apply: $GOTOOLCHAIN=go1.N names it; else the one
    at `goroot` (newest known without one), raised to the go or toolchain lines of go.mod/go.work
    (`wanted`) unless GOTOOLCHAIN=local: since go1.21 the go command switches to a toolchain that
    new, and an older one could not build the module anyway."""
    environ = os.environ if environ is None else environ
    setting = environ.get("GOTOOLCHAIN", "auto")
    forced = _minor(setting.split("+", 1)[0])
    if forced is not None:
        return forced
    local = toolchain_minor(goroot) or NEWEST_GO_MINOR
    if setting == "local":
        return local
    return max([local, *(m for m in map(_minor, wanted) if m is not None)])


def _minor(version: str | None) -> int | None:
    """N of `1.N`, `1.N.P`, `go1.N`, `go1.N.P`, `go1.Nrc1`; None for anything else."""
    match = re.match(r"(?:go)?1\.(\d+)", version or "")
    return int(match.group(1)) if match else None


def toolchain_minor(goroot: Path | None) -> int | None:
    """N of the go1.N toolchain at `goroot`, from its VERSION file (`go1.19.8`), or None."""
    if goroot is None:
        return None
    try:
        first = read_control_file(goroot / "VERSION", limit=1 << 16).split("\n", 1)[0]
    except OSError:
        return None
    return _minor(first.strip()) if first.startswith("go") else None
