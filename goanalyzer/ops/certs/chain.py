"""Which of the scanned CAs really signed a certificate (signature checked, not just the issuer name).

A certificate whose issuer names a scanned CA but whose signature does not verify against it is the
classic half-done CA rotation: the names agree, the TLS handshake fails.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

from goanalyzer.ops.certs.load import FoundCert


class ChainStatus(str, enum.Enum):
    """The outcome of checking one certificate against the scanned CAs."""

    VERIFIED = "verified"
    SELF_SIGNED = "self-signed"
    BAD_SIGNATURE = "bad-signature"
    ISSUER_NOT_SCANNED = "issuer-not-scanned"


@dataclass(frozen=True, slots=True)
class ChainCheck:
    status: ChainStatus
    signer: FoundCert | None = None
    """The CA certificate whose key signed it (VERIFIED), or the one whose name it carries (BAD_SIGNATURE)."""


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def check_chain(found: FoundCert, candidates: list[FoundCert]) -> ChainCheck:
    """Verify `found` against every scanned CA with its issuer's name (first match in scan order)."""
    cert = found.x509_cert
    if cert is None:
        return ChainCheck(ChainStatus.ISSUER_NOT_SCANNED)
    if found.info.self_signed and _signed_by(cert, cert):
        return ChainCheck(ChainStatus.SELF_SIGNED, found)
    named = [c for c in candidates if c.x509_cert is not None and c.info.subject == found.info.issuer and c is not found]
    for candidate in named:
        assert candidate.x509_cert is not None
        if _signed_by(cert, candidate.x509_cert):
            return ChainCheck(ChainStatus.VERIFIED, candidate)
    if named:
        return ChainCheck(ChainStatus.BAD_SIGNATURE, named[0])
    return ChainCheck(ChainStatus.ISSUER_NOT_SCANNED)
