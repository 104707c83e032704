"""Private keys, reduced at once to the fingerprint of their public half.

A key is loaded only to learn which public key it belongs to (so `scan` can say whether a
certificate and its key match); the key object is dropped right away and nothing of it but that
fingerprint is kept, so no output format can ever show key material.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization


@dataclass(frozen=True, slots=True)
class KeyFacts:
    """Where a private key is and the SHA-256 of its public key (None when it could not be read)."""

    path: str
    line: int | None
    public_sha256: str | None
    problem: str | None = None
    """Why the public key is unknown: 'encrypted (not checked)', 'not a readable private key'."""


def public_key_sha256(public_key: object) -> str:
    """SHA-256 over the SubjectPublicKeyInfo DER: the same for a certificate and its private key."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)  # type: ignore[attr-defined]
    digest = hashes.Hash(hashes.SHA256())
    digest.update(der)
    return digest.finalize().hex()


def certificate_key_sha256(cert: x509.Certificate) -> str | None:
    try:
        return public_key_sha256(cert.public_key())
    except (ValueError, UnsupportedAlgorithm):
        return None


def private_key_facts(der_or_pem: bytes, path: str, line: int | None, *, pem: bool) -> KeyFacts:
    """The public-key fingerprint of one private key block; the key itself is not kept."""
    load = serialization.load_pem_private_key if pem else serialization.load_der_private_key
    try:
        key = load(der_or_pem, password=None)
    except TypeError:
        return KeyFacts(path, line, None, "encrypted (not checked)")
    except (ValueError, UnsupportedAlgorithm):
        return KeyFacts(path, line, None, "not a readable private key")
    return KeyFacts(path, line, public_key_sha256(key.public_key()))
