"""TLS/x509 failures in klog logs -> a verdict monitoring can act on.

The case this exists for (kubernetes/kubernetes#86552): kube-apiserver makes an in-memory, self-signed
loopback certificate at start-up and never rotates it. When it expires, only the apiserver's requests
to itself fail (`http: TLS handshake error from <own IP>: remote error: tls: bad certificate` on the
serving side, `x509: certificate has expired or is not yet valid` on the informer side), while every
on-disk certificate is valid and a restart fixes it. The other patterns are told apart: an outside
party's certificate (client-cert-invalid), a wrong CA (unknown-authority), "not yet valid" (clock-skew).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from goanalyzer.ops.certs.inspect import short_duration
from goanalyzer.ops.certs.klog import KlogLine
from goanalyzer.ops.common import MASK, Severity

LOOPBACK_SERVER_NAME = "apiserver-loopback-client"
VALIDITY_DAYS_OLD = 365
VALIDITY_DAYS_NEW = 3 * 365 + 1
NEW_VALIDITY_SINCE = (1, 33)
SAMPLES_PER_GROUP = 3
_LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


class FailureKind(str, enum.Enum):
    """What was wrong with a certificate, as far as the log line says."""

    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    EXPIRED_OR_NOT_YET_VALID = "expired-or-not-yet-valid"
    BAD_CERTIFICATE = "bad-certificate"
    UNKNOWN_AUTHORITY = "unknown-authority"


class Side(str, enum.Enum):
    """Which connection failed, from the logging process's point of view."""

    INCOMING_HANDSHAKE = "incoming-handshake"
    OUTGOING_REQUEST = "outgoing-request"
    AUTHENTICATION = "authentication"
    OTHER = "other"


class Verdict(str, enum.Enum):
    """The top-level conclusion (JSON `verdict`)."""

    LOOPBACK_CERT_EXPIRED = "loopback-cert-expired"
    CLIENT_CERT_INVALID = "client-cert-invalid"
    UNKNOWN_AUTHORITY = "unknown-authority"
    CLOCK_SKEW = "clock-skew"
    NONE = "none"


VERDICT_SEVERITY = {
    Verdict.LOOPBACK_CERT_EXPIRED: Severity.CRITICAL,
    Verdict.CLOCK_SKEW: Severity.CRITICAL,
    Verdict.CLIENT_CERT_INVALID: Severity.WARNING,
    Verdict.UNKNOWN_AUTHORITY: Severity.WARNING,
    Verdict.NONE: Severity.INFO,
}


@dataclass(slots=True)
class TlsFailure:
    """One log line reporting a certificate failure."""

    kind: FailureKind
    side: Side
    rejected_by: str
    source_host: str | None
    target: str | None
    target_host: str | None
    url: str | None
    component: str
    timestamp: datetime
    path: str
    line: int
    text: str
    current_time: str | None = None
    validity_bound: str | None = None


@dataclass(slots=True)
class Sample:
    path: str
    line: int
    text: str


@dataclass(slots=True)
class FailureGroup:
    """Failures with the same kind, side, source address, target and component."""

    kind: FailureKind
    side: Side
    rejected_by: str
    source: str | None
    target: str | None
    component: str
    involves_self: bool
    count: int
    first: datetime
    last: datetime
    samples: list[Sample] = field(default_factory=list)
    certificate_not_after: list[str] = field(default_factory=list)
    certificate_not_before: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SelfAddress:
    address: str
    origin: str
    reason: str


@dataclass(slots=True)
class Pattern:
    """One recognised pattern among the groups (group numbers are 1-based)."""

    pattern: Verdict
    severity: Severity
    groups: list[int]
    summary: str


@dataclass(slots=True)
class Prediction:
    """When the loopback certificate of an apiserver started at `started_at` expires."""

    started_at: datetime
    validity_days: int
    loopback_expires: datetime
    expired: bool
    residual: str
    severity: Severity
    predicted_at: datetime | None = None
    if_restarted_now_expires: datetime | None = None


@dataclass(slots=True)
class LogSummary:
    path: str
    lines: int
    klog_lines: int


@dataclass(slots=True)
class Diagnosis:
    """Everything `certs diagnose` reports. `verdict` is the field monitoring keys on."""

    verdict: Verdict
    severity: Severity
    summary: str
    year: int
    logs: list[LogSummary]
    self_addresses: list[SelfAddress]
    failures_total: int
    groups: list[FailureGroup]
    patterns: list[Pattern]
    fix: list[str]
    verify: list[str]
    prediction: Prediction | None = None


_HANDSHAKE = re.compile(r"TLS handshake error from (\[[0-9A-Fa-f:.]+\]|[^\s:]+):(\d+): (.*)")
_X509_TIME = re.compile(
    r"x509: certificate has expired or is not yet valid(?:: current time (\S+) is (after|before) (\S+?)(?=[,\]\s\"]|$))?"
)
_URL = re.compile(r"https://(?:[^/\s\"'@]+@)?(\[[0-9A-Fa-f:.]+\]|[^/\s\"':@]+)(?::(\d+))?(/[^\s\"']*)?")
_URL_TAIL = ":,;.)"
# A secret value: \"escaped-quoted\" (inside a structured klog value), "quoted", or a bare word.
_SECRET_VALUE = r'(\\"(?:[^"\\]|\\[^"])*\\"|"(?:[^"\\]|\\.)*"|[^\s"\',\\]+)'
_SECRET = re.compile(r"(?i)(bearer\s+|(?<![\w.])[\w-]*(?:token|password|passwd|secret)\\?\"?\s*[=:]\s*)" + _SECRET_VALUE)
_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/\s\"'@]+@")


def _masked(match: re.Match) -> str:
    value = match.group(2)
    quote = '\\"' if value.startswith('\\"') else '"' if value.startswith('"') else ""
    return match.group(1) + quote + MASK + quote


def mask_secrets(text: str) -> str:
    """Log lines may carry bearer tokens, passwords (`password=x`, structured `token="x"`) or
    credentials in URLs (`https://user:pass@host`); never repeat them."""
    return _SECRET.sub(_masked, _USERINFO.sub(r"\1****@", text))


def _strip_brackets(host: str) -> str:
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def _x509_kind(text: str) -> tuple[FailureKind, str | None, str | None] | None:
    m = _X509_TIME.search(text)
    if m:
        if m.group(2) == "after":
            return FailureKind.EXPIRED, m.group(1), m.group(3)
        if m.group(2) == "before":
            return FailureKind.NOT_YET_VALID, m.group(1), m.group(3)
        return FailureKind.EXPIRED_OR_NOT_YET_VALID, None, None
    if "x509: certificate signed by unknown authority" in text:
        return FailureKind.UNKNOWN_AUTHORITY, None, None
    return None


def _alert_kind(text: str) -> FailureKind | None:
    if "remote error: tls: bad certificate" in text:
        return FailureKind.BAD_CERTIFICATE
    if "remote error: tls: unknown certificate authority" in text:
        return FailureKind.UNKNOWN_AUTHORITY
    if "remote error: tls: expired certificate" in text:
        return FailureKind.EXPIRED
    return None


def extract_failure(line: KlogLine) -> TlsFailure | None:
    """The certificate failure a log line reports, or None."""
    text = line.text
    common = dict(component=line.component, timestamp=line.timestamp, path=line.path, line=line.line, text=mask_secrets(line.raw))
    handshake = _HANDSHAKE.search(text)
    if handshake:
        source = _strip_brackets(handshake.group(1))
        rest = handshake.group(3)
        alert = _alert_kind(rest)
        if alert is not None:
            return TlsFailure(alert, Side.INCOMING_HANDSHAKE, "peer", source, None, None, None, **common)
        local = _x509_kind(rest)
        if local is not None:
            kind, now, bound = local
            return TlsFailure(kind, Side.INCOMING_HANDSHAKE, "local", source, None, None, None, current_time=now, validity_bound=bound, **common)
        return None
    local = _x509_kind(text)
    if local is None:
        alert = _alert_kind(text)
        if alert is None:
            return None
        local = (alert, None, None)
    kind, now, bound = local
    extra = dict(current_time=now, validity_bound=bound)
    if "Unable to authenticate the request" in text or line.component == "authentication.go":
        return TlsFailure(kind, Side.AUTHENTICATION, "local", None, None, None, None, **extra, **common)
    url = _URL.search(text)
    if url:
        host = _strip_brackets(url.group(1))
        port = url.group(2) or "443"
        target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        return TlsFailure(kind, Side.OUTGOING_REQUEST, "local", None, target, host, url.group(0).rstrip(_URL_TAIL), **extra, **common)
    return TlsFailure(kind, Side.OTHER, "local", None, None, None, None, **extra, **common)


def infer_self_addresses(lines: list[KlogLine]) -> list[SelfAddress]:
    """The apiserver's own addresses: hosts its client-go informers (reflector.go) talk to under /api
    or /apis. This assumes the log is kube-apiserver's own, whose informers only talk to itself."""
    seen: dict[str, list[str]] = {}
    for line in lines:
        text = line.text
        if line.component != "reflector.go" and "client-go" not in text:
            continue
        for m in _URL.finditer(text):
            path = m.group(3) or ""
            if path == "/api" or path == "/apis" or path.startswith(("/api/", "/apis/", "/api?", "/apis?")):
                seen.setdefault(_strip_brackets(m.group(1)), []).append(mask_secrets(m.group(0).rstrip(_URL_TAIL)))
    out = []
    for host in sorted(seen):
        urls = seen[host]
        out.append(SelfAddress(host, "inferred", f"target of {len(urls)} client-go request(s) to the Kubernetes API, e.g. {urls[0]}"))
    return out


def group_failures(failures: list[TlsFailure], self_hosts: set[str]) -> list[FailureGroup]:
    """Group by kind, side, source address (not port), target and component; stable order."""
    groups: dict[tuple, FailureGroup] = {}
    for f in failures:
        key = (f.side.value, f.kind.value, f.rejected_by, f.source_host or "", f.target or "", f.component)
        involves_self = (f.source_host in self_hosts) or (f.target_host in self_hosts)
        group = groups.get(key)
        if group is None:
            group = groups[key] = FailureGroup(
                kind=f.kind, side=f.side, rejected_by=f.rejected_by, source=f.source_host, target=f.target,
                component=f.component, involves_self=involves_self, count=0, first=f.timestamp, last=f.timestamp,
            )
        group.count += 1
        group.first = min(group.first, f.timestamp)
        group.last = max(group.last, f.timestamp)
        if len(group.samples) < SAMPLES_PER_GROUP:
            group.samples.append(Sample(f.path, f.line, f.text))
        if f.validity_bound and f.kind == FailureKind.EXPIRED and f.validity_bound not in group.certificate_not_after:
            group.certificate_not_after.append(f.validity_bound)
        if f.validity_bound and f.kind == FailureKind.NOT_YET_VALID and f.validity_bound not in group.certificate_not_before:
            group.certificate_not_before.append(f.validity_bound)
    return [groups[k] for k in sorted(groups)]


def _pattern_of(group: FailureGroup, loopback: bool) -> Verdict:
    if group.kind == FailureKind.NOT_YET_VALID:
        return Verdict.CLOCK_SKEW
    if group.kind == FailureKind.UNKNOWN_AUTHORITY:
        return Verdict.UNKNOWN_AUTHORITY
    return Verdict.LOOPBACK_CERT_EXPIRED if loopback else Verdict.CLIENT_CERT_INVALID


_EXPIRED_KINDS = {FailureKind.EXPIRED, FailureKind.EXPIRED_OR_NOT_YET_VALID, FailureKind.BAD_CERTIFICATE}
_PRIORITY = [Verdict.LOOPBACK_CERT_EXPIRED, Verdict.CLOCK_SKEW, Verdict.CLIENT_CERT_INVALID, Verdict.UNKNOWN_AUTHORITY]

_PATTERN_SUMMARY = {
    Verdict.LOOPBACK_CERT_EXPIRED: (
        "TLS failures only on the apiserver's connections to itself while nothing else fails: its in-memory,"
        " self-signed loopback certificate (CN=apiserver-loopback-client@<start time>), made at start-up with a fixed"
        " validity and never rotated, has expired (kubernetes/kubernetes#86552). On-disk certificates are not involved."
    ),
    Verdict.CLIENT_CERT_INVALID: (
        "Another party's certificate is expired or rejected: a client presenting an expired certificate"
        " (authentication errors, handshake errors from outside addresses) or a server this process calls"
        " serving one. Not the loopback certificate."
    ),
    Verdict.UNKNOWN_AUTHORITY: (
        "A certificate is signed by a CA the verifying side does not trust (wrong or stale CA bundle, rotated CA)."
    ),
    Verdict.CLOCK_SKEW: (
        "A certificate is not valid yet by the verifying host's clock ('current time ... is before ...'):"
        " the clocks of the issuing and verifying hosts disagree."
    ),
}


def _host_port(address: str, port: str) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _fix_and_verify(verdict: Verdict, groups: list[FailureGroup], self_addresses: list[SelfAddress], ports: list[str]) -> tuple[list[str], list[str]]:
    fix: list[str] = []
    verify: list[str] = []
    if verdict == Verdict.LOOPBACK_CERT_EXPIRED:
        fix = [
            "Restart each affected kube-apiserver replica (static pod: move kube-apiserver.yaml out of"
            " /etc/kubernetes/manifests and back, or `crictl stop` its container); start-up makes a new loopback certificate.",
            f"The loopback certificate lasts {VALIDITY_DAYS_OLD} days before Kubernetes v1.33 and {VALIDITY_DAYS_NEW} days"
            " (about 3 years) from v1.33 (kubernetes/kubernetes#130047): restart or upgrade every apiserver within that time.",
            "Confirm the on-disk certificates are valid: goanalyzer ops certs scan /etc/kubernetes/pki",
        ]
        own = [a.address for a in self_addresses if a.address not in _LOOPBACK_HOSTS] or [a.address for a in self_addresses]
        for address in own:
            for port in ports:
                resolve = f"[{address}]" if ":" in address else address
                verify.append(
                    f"curl -vk --resolve {LOOPBACK_SERVER_NAME}:{port}:{resolve} https://{LOOPBACK_SERVER_NAME}:{port}/healthz 2>&1 | grep -E 'subject:|expire date:'"
                )
                verify.append(
                    f"openssl s_client -connect {_host_port(address, port)} -servername {LOOPBACK_SERVER_NAME} </dev/null 2>/dev/null | openssl x509 -noout -subject -dates"
                )
                verify.append(f"goanalyzer ops certs probe {_host_port(address, port)} --servername {LOOPBACK_SERVER_NAME}")
    elif verdict == Verdict.CLIENT_CERT_INVALID:
        fix = [
            "Renew the certificate of the party named in the groups: a client's (kubelet: client rotation and"
            " /var/lib/kubelet/pki; kubeconfig users: `kubeadm certs renew`), or the one served by a failing target.",
            "Restarting the apiserver does not help here.",
        ]
        verify = ["goanalyzer ops certs scan /etc/kubernetes /var/lib/kubelet/pki"]
        for target in sorted({g.target for g in groups if g.target and not g.involves_self}):
            verify.append(f"goanalyzer ops certs probe {target}")
    elif verdict == Verdict.UNKNOWN_AUTHORITY:
        fix = [
            "Compare the verifier's CA bundle (certificate-authority-data, --client-ca-file, caBundle) with the"
            " issuer of the presented certificate; redistribute the CA after a CA rotation.",
        ]
        verify = ["goanalyzer ops certs scan /etc/kubernetes"]
        for target in sorted({g.target for g in groups if g.target}):
            verify.append(f"openssl s_client -connect {target} -showcerts </dev/null")
    elif verdict == Verdict.CLOCK_SKEW:
        fix = ["Fix time synchronisation (NTP/chrony) on the verifying host and on the host that issued the certificate."]
        verify = ["timedatectl status", "chronyc tracking"]
    return fix, verify


def predict(started_at: datetime, validity_days: int, now: datetime, warn_days: int) -> Prediction:
    """The loopback certificate expires about `validity_days` after the apiserver started."""
    expires = started_at + timedelta(days=validity_days)
    residual = expires - now
    seconds = int(residual.total_seconds())
    if seconds <= 0:
        severity = Severity.CRITICAL
    elif seconds <= warn_days * 86400:
        severity = Severity.WARNING
    else:
        severity = Severity.INFO
    return Prediction(started_at, validity_days, expires, seconds <= 0, short_duration(seconds), severity, now, now + timedelta(days=validity_days))


def validity_for_version(version: str | None) -> int:
    """Loopback certificate validity by Kubernetes minor version (1 year before v1.33, ~3 years since)."""
    if not version:
        return VALIDITY_DAYS_OLD
    m = re.match(r"v?(\d+)\.(\d+)", version)
    if not m:
        raise ValueError(f"not a Kubernetes version: {version!r} (expected e.g. v1.32)")
    return VALIDITY_DAYS_NEW if (int(m.group(1)), int(m.group(2))) >= NEW_VALIDITY_SINCE else VALIDITY_DAYS_OLD


def diagnose(
    lines: list[KlogLine],
    logs: list[LogSummary],
    year: int,
    self_ips: list[str] | None = None,
    prediction: Prediction | None = None,
) -> Diagnosis:
    """Collect failures, decide which are the apiserver's own, and conclude."""
    if self_ips:
        self_addresses = [SelfAddress(_strip_brackets(ip), "given", "--self-ip") for ip in sorted(set(self_ips))]
    else:
        self_addresses = infer_self_addresses(lines)
    failures = [f for line in lines if (f := extract_failure(line)) is not None]
    known = {a.address for a in self_addresses}
    for host in sorted({f.source_host for f in failures if f.source_host in _LOOPBACK_HOSTS} - known):
        self_addresses.append(SelfAddress(host, "loopback", "loopback address"))
    self_hosts = {a.address for a in self_addresses}
    groups = group_failures(failures, self_hosts)

    own = [g for g in groups if g.involves_self]
    others = [g for g in groups if not g.involves_self]
    loopback = bool(own) and not others and all(g.kind in _EXPIRED_KINDS for g in own)
    patterns_by: dict[Verdict, list[int]] = {}
    for number, group in enumerate(groups, start=1):
        patterns_by.setdefault(_pattern_of(group, loopback), []).append(number)
    patterns = [
        Pattern(v, VERDICT_SEVERITY[v], patterns_by[v], _PATTERN_SUMMARY[v]) for v in _PRIORITY if v in patterns_by
    ]
    verdict = patterns[0].pattern if patterns else Verdict.NONE
    severity = VERDICT_SEVERITY[verdict]

    ports = sorted({g.target.rsplit(":", 1)[1] for g in own if g.target}) or ["6443"]
    fix, verify = _fix_and_verify(verdict, groups, self_addresses, ports)
    summary = _summary(verdict, groups, own, others, self_addresses)
    if prediction is not None and prediction.severity != Severity.INFO and verdict == Verdict.NONE:
        severity = prediction.severity
    return Diagnosis(
        verdict=verdict,
        severity=severity,
        summary=summary,
        year=year,
        logs=logs,
        self_addresses=self_addresses,
        failures_total=len(failures),
        groups=groups,
        patterns=patterns,
        fix=fix,
        verify=verify,
        prediction=prediction,
    )


def _summary(verdict: Verdict, groups: list[FailureGroup], own: list[FailureGroup], others: list[FailureGroup], self_addresses: list[SelfAddress]) -> str:
    if verdict == Verdict.NONE:
        return "no TLS/x509 certificate failures found"
    total = sum(g.count for g in groups)
    text = f"{total} certificate failure(s) in {len(groups)} group(s)"
    if verdict == Verdict.LOOPBACK_CERT_EXPIRED:
        addresses = ", ".join(a.address for a in self_addresses)
        first = min(g.first for g in own).isoformat(sep=" ")
        last = max(g.last for g in own).isoformat(sep=" ")
        bounds = sorted({b for g in own for b in g.certificate_not_after})
        text += f", all on connections of the apiserver to its own address ({addresses}), from {first} to {last}"
        if bounds:
            text += f"; the rejected certificate expired at {', '.join(bounds)}"
        return text + ". " + _PATTERN_SUMMARY[verdict]
    text += ". " + _PATTERN_SUMMARY[verdict]
    if own:
        text += (
            f" {sum(g.count for g in own)} failure(s) also involve the apiserver's own address; the loopback"
            " certificate is not concluded because other connections fail too."
        )
    return text
