"""Decode one X.509 certificate into plain facts and judge its validity at a given time.

Kept apart from file discovery so that scan, probe and the tests share one notion of
"expired / not yet valid / expiring soon".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID

from goanalyzer.ops.common import Severity


class Validity(str, enum.Enum):
    """Where `now` falls in a certificate's validity window."""

    OK = "ok"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"


@dataclass(slots=True)
class CertInfo:
    """What an on-call engineer wants to know about a certificate (never key material)."""

    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    is_ca: bool
    self_signed: bool
    sans: list[str] = field(default_factory=list)
    usages: list[str] = field(default_factory=list)
    sha256: str = ""


@dataclass(slots=True)
class Assessment:
    """A certificate judged at one instant."""

    status: Validity
    severity: Severity
    residual_seconds: int
    residual: str


_EKU_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH: "server auth",
    ExtendedKeyUsageOID.CLIENT_AUTH: "client auth",
    ExtendedKeyUsageOID.CODE_SIGNING: "code signing",
    ExtendedKeyUsageOID.EMAIL_PROTECTION: "email protection",
    ExtendedKeyUsageOID.OCSP_SIGNING: "ocsp signing",
}


def _sans(cert: x509.Certificate) -> list[str]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    out: list[str] = []
    for name in ext:
        if isinstance(name, x509.DNSName):
            out.append(f"DNS:{name.value}")
        elif isinstance(name, x509.IPAddress):
            out.append(f"IP:{name.value}")
        elif isinstance(name, x509.UniformResourceIdentifier):
            out.append(f"URI:{name.value}")
        elif isinstance(name, x509.RFC822Name):
            out.append(f"email:{name.value}")
        else:
            out.append(str(name.value))
    return out


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _usages(cert: x509.Certificate) -> list[str]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return []
    return sorted(_EKU_NAMES.get(oid, oid.dotted_string) for oid in ext)


def describe(cert: x509.Certificate) -> CertInfo:
    """The facts of a decoded certificate."""
    subject = cert.subject.rfc4514_string()
    issuer = cert.issuer.rfc4514_string()
    return CertInfo(
        subject=subject,
        issuer=issuer,
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        is_ca=_is_ca(cert),
        self_signed=subject == issuer,
        sans=_sans(cert),
        usages=_usages(cert),
        sha256=cert.fingerprint(hashes.SHA256()).hex(),
    )


def short_duration(seconds: int) -> str:
    """Residual time in the style of `kubeadm certs check-expiration` (348d, 6y, 23h); negative with '-'."""
    sign = "-" if seconds < 0 else ""
    s = abs(int(seconds))
    if s < 60:
        text = f"{s}s"
    elif s < 3600:
        text = f"{s // 60}m"
    elif s < 86400:
        text = f"{s // 3600}h"
    elif s < 365 * 86400:
        text = f"{s // 86400}d"
    else:
        text = f"{s // (365 * 86400)}y"
    return sign + text


def assess(
    not_before: datetime | None,
    not_after: datetime,
    now: datetime,
    warn_days: int,
    crit_days: int = 0,
) -> Assessment:
    """Judge a validity window at `now`: expired and not-yet-valid are critical, close expiry warns."""
    residual = int((not_after - now).total_seconds())
    if not_before is not None and now < not_before:
        status, severity = Validity.NOT_YET_VALID, Severity.CRITICAL
    elif residual <= 0:
        status, severity = Validity.EXPIRED, Severity.CRITICAL
    elif residual <= crit_days * 86400:
        status, severity = Validity.EXPIRING, Severity.CRITICAL
    elif residual <= warn_days * 86400:
        status, severity = Validity.EXPIRING, Severity.WARNING
    else:
        status, severity = Validity.OK, Severity.INFO
    return Assessment(status=status, severity=severity, residual_seconds=residual, residual=short_duration(residual))
