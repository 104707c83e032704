"""Where the go command fetches a module from: GOPROXY list parsing and the per-module route.

Reproduces cmd/go/internal/modfetch: GOPROXY entries are separated by ',' (try the next entry
only after a 404 or 410) or '|' (after any error); 'direct' and 'off' end the list; a bare
host gets https://. When GONOPROXY is non-empty and GOPROXY is not exactly "direct", an
implicit first entry fetches GONOPROXY modules directly and every other entry refuses them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from goanalyzer.ops.common import Severity
from goanalyzer.ops.goproxy.goenv import GoEnv
from goanalyzer.ops.goproxy.patterns import bad_globs, covering_glob, matching_glob, split_globs


class GoproxyError(ValueError):
    """A GOPROXY value the go command rejects; the message is the go command's."""


class EntryKind(str, enum.Enum):
    PROXY = "proxy"
    DIRECT = "direct"
    OFF = "off"


@dataclass(slots=True)
class ProxyEntry:
    """One GOPROXY list element after Go's normalisation."""

    url: str
    kind: EntryKind
    fallback_on_error: bool  # True after '|': next entry on any error


def _is_abs(value: str) -> bool:
    return value.startswith("/")


def _check_proxy_url(url: str) -> None:
    """newProxyRepo's checks: http, https or a path-only file:// URL."""
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise GoproxyError(f'parse "{url}": {error}') from None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return
    if scheme == "file":
        opaque = not url.split(":", 1)[1].startswith("/")
        if opaque or parts.netloc or parts.query or parts.fragment or "?" in url or "#" in url:
            raise GoproxyError(f"invalid file:// proxy URL with non-path elements: {url}")
        return
    if scheme == "":
        raise GoproxyError(f"invalid proxy URL missing scheme: {url}")
    raise GoproxyError(f"invalid proxy URL scheme (must be https, http, file): {url}")


def parse_goproxy(value: str) -> list[ProxyEntry]:
    """The GOPROXY list as the go command builds it (without the implicit noproxy entry)."""
    entries: list[ProxyEntry] = []
    rest = value
    while rest:
        cut = min((i for i in (rest.find(","), rest.find("|")) if i >= 0), default=-1)
        if cut >= 0:
            url, fallback, rest = rest[:cut], rest[cut] == "|", rest[cut + 1 :]
        else:
            url, fallback, rest = rest, False, ""
        url = url.strip()
        if not url:
            continue
        if url == "off":
            entries.append(ProxyEntry("off", EntryKind.OFF, False))
            break
        if url == "direct":
            entries.append(ProxyEntry("direct", EntryKind.DIRECT, False))
            break
        if any(c in url for c in ".:/") and ":/" not in url and not _is_abs(url):
            url = "https://" + url
        _check_proxy_url(url)
        entries.append(ProxyEntry(url, EntryKind.PROXY, fallback))
    return entries


def proxy_list(env: GoEnv) -> tuple[bool, list[ProxyEntry]]:
    """(has implicit noproxy entry, entries); GoproxyError when Go would refuse the list."""
    noproxy = env.gonoproxy != "" and env.goproxy != "direct"
    entries = parse_goproxy(env.goproxy)
    if not entries:
        raise GoproxyError("GOPROXY list is not the empty string, but contains no entries")
    return noproxy, entries


@dataclass(slots=True)
class Attempt:
    """One source the go command tries, and when it moves on to the next one."""

    source: str
    kind: EntryKind
    next_on: str | None  # "404 or 410", "any error", or None for the last attempt


@dataclass(slots=True)
class Finding:
    severity: Severity
    code: str
    message: str


@dataclass(slots=True)
class Route:
    """How the go command fetches and verifies one module path."""

    module: str
    version: str | None
    private: bool
    goprivate_match: str | None
    gonoproxy_match: str | None
    gonosumdb_match: str | None
    goinsecure_match: str | None
    attempts: list[Attempt]
    checksum_db: str | None  # the database consulted, None when not consulted
    checksum_reason: str
    findings: list[Finding] = field(default_factory=list)
    indirect: bool = False
    replaced_by: str | None = None
    line: int | None = None


def sumdb_name(gosumdb: str) -> str:
    """The database name of a GOSUMDB value ("name[+key] [url]")."""
    first = gosumdb.split()[0] if gosumdb.split() else gosumdb
    return first.split("+", 1)[0]


def route(module: str, env: GoEnv, version: str | None = None) -> Route:
    """The fetch route and checksum verification for one module path."""
    return _route(module, env, version, matching_glob)


def route_host(host: str, env: GoEnv) -> Route:
    """The route of the modules on `host` that the patterns cover: with GOPRIVATE=github.com/org/*
    the modules of github.com/org are private, so github.com counts as private for its credentials."""
    return _route(host, env, None, covering_glob)


def _route(module: str, env: GoEnv, version: str | None, match: Callable[[str, str], str | None]) -> Route:
    _, entries = proxy_list(env)
    private = match(env.goprivate, module)
    nop = match(env.gonoproxy, module)
    nosum = match(env.gonosumdb, module)
    insecure = match(env.goinsecure, module)
    attempts: list[Attempt] = []
    if nop is not None:
        # The implicit entry fetches directly; every later entry answers "disabled by
        # GOPRIVATE/GONOPROXY" (a not-found error), except a trailing 'direct' that retries
        # the same origin. Either way the origin is the only source.
        attempts.append(Attempt("direct", EntryKind.DIRECT, None))
    else:
        for entry in entries:
            attempts.append(Attempt(entry.url, entry.kind, "any error" if entry.fallback_on_error else "404 or 410"))
        attempts[-1].next_on = None
    if env.gosumdb == "off":
        checksum_db, reason = None, "GOSUMDB=off"
    elif nosum is not None:
        checksum_db, reason = None, f"GONOSUMDB matches {nosum!r}"
    else:
        checksum_db = sumdb_name(env.gosumdb)
        reason = "for versions not yet in go.sum"
    result = Route(module, version, private is not None, private, nop, nosum, insecure, attempts, checksum_db, reason)
    result.findings = route_findings(result)
    return result


def route_findings(r: Route) -> list[Finding]:
    """What is wrong with one route: private paths sent to public services, fetches that cannot work."""
    findings = []
    proxies = [a.source for a in r.attempts if a.kind is EntryKind.PROXY]
    if r.private and r.gonoproxy_match is None and proxies:
        findings.append(Finding(
            Severity.WARNING, "private-via-proxy",
            f"{r.module} matches GOPRIVATE {r.goprivate_match!r} but not GONOPROXY; "
            f"its path is requested from {', '.join(proxies)}",
        ))
    if r.private and r.checksum_db is not None:
        findings.append(Finding(
            Severity.WARNING, "private-checksum-lookup",
            f"{r.module} matches GOPRIVATE {r.goprivate_match!r} but not GONOSUMDB; "
            f"the lookup in {r.checksum_db} fails with 404/410 and discloses the path",
        ))
    if r.attempts and r.attempts[0].kind is EntryKind.OFF:
        findings.append(Finding(
            Severity.WARNING, "lookup-disabled",
            f"{r.module}: module lookup disabled by GOPROXY=off (only the module cache can serve it)",
        ))
    return findings


def env_findings(env: GoEnv) -> list[Finding]:
    """Pattern lists the go command reads differently from how they look."""
    findings = []
    for name in ("GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE"):
        value = env.value(name)
        for glob in bad_globs(value):
            findings.append(Finding(
                Severity.WARNING, "bad-pattern",
                f"{name} pattern {glob!r} is not valid path.Match syntax; the go command ignores it",
            ))
        for glob in split_globs(value):
            if glob != glob.strip():
                findings.append(Finding(
                    Severity.WARNING, "pattern-whitespace",
                    f"{name} pattern {glob!r} has surrounding whitespace, which the go command keeps; "
                    "it matches no module path",
                ))
            elif "://" in glob:
                findings.append(Finding(
                    Severity.WARNING, "pattern-scheme",
                    f"{name} pattern {glob!r} contains a URL scheme; patterns match module paths, "
                    "which have none",
                ))
    return findings
