"""`certs probe`: a real TLS handshake, then the served certificates judged like on-disk ones.

Verification is off for the inspecting handshake (an expired certificate must still be shown);
`--verify`/`--cafile` adds a second, verifying handshake and reports its error.
"""

from __future__ import annotations

import _ssl
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509

from goanalyzer.ops.certs.inspect import Assessment, CertInfo, assess, describe
from goanalyzer.ops.certs.load import MAX_FILE_BYTES, parse_pem
from goanalyzer.ops.common import OpsInputError, Severity, exit_code_for
from goanalyzer.ops.inputs import printable, read_input


@dataclass(slots=True)
class ProbedCert:
    """One certificate of the served chain; position 0 is the leaf."""

    position: int
    certificate: CertInfo
    assessment: Assessment


@dataclass(slots=True)
class ProbeResult:
    """What the server presented and whether it would verify."""

    target: str
    servername: str | None
    peer_address: str
    tls_version: str | None
    cipher: str | None
    now: datetime
    warn_days: int
    chain: list[ProbedCert] = field(default_factory=list)
    full_chain: bool = False
    verified: bool | None = None
    verify_error: str | None = None

    @property
    def exit_code(self) -> int:
        severities = [c.assessment.severity for c in self.chain]
        if self.verified is False:
            severities.append(Severity.WARNING)
        return exit_code_for(severities)


def parse_target(text: str) -> tuple[str, int]:
    """HOST:PORT or [IPv6]:PORT."""
    if text.startswith("["):
        host, sep, port = text[1:].partition("]:")
    else:
        host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise OpsInputError(f"expected HOST:PORT (e.g. 10.0.0.1:6443 or [::1]:6443), got {text!r}")
    return host, int(port)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _chain_der(tls: ssl.SSLSocket) -> tuple[list[bytes], bool]:
    """The certificates the server sent, leaf first, and whether that is the whole chain.

    Python 3.13+ has SSLSocket.get_unverified_chain(); 3.10-3.12 have the same call on the
    underlying _ssl object (returning _ssl.Certificate objects). Without either, only the leaf."""
    getter = getattr(tls, "get_unverified_chain", None) or getattr(getattr(tls, "_sslobj", None), "get_unverified_chain", None)
    if getter is not None:
        chain = getter() or []
        ders = [c if isinstance(c, bytes) else c.public_bytes(_ssl.ENCODING_DER) for c in chain]
        if ders:
            return ders, True
    leaf = tls.getpeercert(binary_form=True)
    return ([leaf] if leaf else []), False


def verify_context(cafile: str | None) -> ssl.SSLContext:
    """The verifying context: system CAs, or the PEM bundle in `cafile` (read like any ops input, so an
    empty, unreadable or non-PEM file is an input error naming it, not an SSLError)."""
    if not cafile:
        return ssl.create_default_context()
    text = read_input(cafile, limit=MAX_FILE_BYTES).text
    if not text.strip():
        raise OpsInputError("CA file is empty", path=cafile)
    if not parse_pem(text, cafile).certificates:
        raise OpsInputError("CA file holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path=cafile)
    try:
        return ssl.create_default_context(cadata=printable(text))
    except (ssl.SSLError, ValueError) as error:
        raise OpsInputError(f"CA file is not a usable PEM bundle: {getattr(error, 'reason', None) or error}", path=cafile) from None


def _verify(host: str, port: int, sni: str | None, timeout: float, ctx: ssl.SSLContext) -> tuple[bool, str | None]:
    ctx.check_hostname = sni is not None
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            with ctx.wrap_socket(sock, server_hostname=sni):
                return True, None
    except ssl.SSLCertVerificationError as error:
        return False, error.verify_message or str(error)
    except (ssl.SSLError, OSError) as error:
        return False, str(error)


def probe(
    target: str,
    now: datetime,
    *,
    servername: str | None = None,
    timeout: float = 5.0,
    warn_days: int = 30,
    crit_days: int = 0,
    verify: bool = False,
    cafile: str | None = None,
) -> ProbeResult:
    """Connect, handshake without verification, judge every certificate the server presented."""
    host, port = parse_target(target)
    verifier = verify_context(cafile) if (verify or cafile) else None
    sni = servername or (None if _is_ip(host) else host)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            with ctx.wrap_socket(sock, server_hostname=sni) as tls:
                ders, full = _chain_der(tls)
                version, cipher = tls.version(), (tls.cipher() or (None,))[0]
                peer = tls.getpeername()[0]
    except ssl.SSLError as error:
        raise OpsInputError(f"TLS handshake failed: {error.reason or error}", path=target) from None
    except OSError as error:
        raise OpsInputError(f"cannot connect: {error.strerror or error}", path=target) from None
    if not ders:
        raise OpsInputError("the server presented no certificate", path=target)
    result = ProbeResult(target=target, servername=sni, peer_address=peer, tls_version=version, cipher=cipher, now=now, warn_days=warn_days, full_chain=full)
    for position, der in enumerate(ders):
        info = describe(x509.load_der_x509_certificate(der))
        result.chain.append(ProbedCert(position, info, assess(info.not_before, info.not_after, now, warn_days, crit_days)))
    if verifier is not None:
        result.verified, result.verify_error = _verify(host, port, sni, timeout, verifier)
    return result
