"""Find certificates on disk: PEM files (bundles, chains), DER files, kubeconfigs and whole trees.

Private keys, public keys and CSRs are recognised and listed as skipped, never shown; a private key
is read only for the fingerprint of its public half (goanalyzer.ops.certs.keys). Malformed certificate
data raises OpsInputError with the file and line. Files a kubeconfig refers to that are missing, and
symlink loops or links out of a scanned tree, are findings rather than silence.
"""

from __future__ import annotations

import base64
import binascii
import enum
import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from cryptography import x509

from goanalyzer.ops.certs.inspect import CertInfo, describe
from goanalyzer.ops.certs.keys import KeyFacts, certificate_key_sha256, private_key_facts
from goanalyzer.ops.common import OpsInputError, Severity
from goanalyzer.ops.inputs import GuardedSafeLoader, load_yaml, read_bytes

MAX_FILE_BYTES = 5 * 1024 * 1024

_BEGIN = re.compile(r"^-----BEGIN ([A-Z0-9 ]+)-----\s*$")
_END = re.compile(r"^-----END ([A-Z0-9 ]+)-----\s*$")


class SourceKind(str, enum.Enum):
    """The container a certificate was found in."""

    PEM = "pem"
    DER = "der"
    KUBECONFIG = "kubeconfig"


@dataclass(slots=True)
class FoundCert:
    """One certificate and where it came from."""

    name: str
    path: str
    line: int | None
    kind: SourceKind
    info: CertInfo
    label: str | None = None
    """The kubeconfig field it came from, e.g. users/kubernetes-admin/client-certificate-data."""
    public_key_sha256: str | None = None
    x509_cert: x509.Certificate | None = field(default=None, repr=False, compare=False)
    """The decoded certificate, for signature checks (never serialised)."""
    key: KeyFacts | None = None
    """The private key a kubeconfig pairs with this certificate (client-key, client-key-data)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found on disk that is not a certificate's expiry: a missing referenced file, a key
    that does not match, a signature that does not verify, a file kubeadm expects."""

    severity: Severity
    check: str
    path: str
    line: int | None
    message: str


@dataclass(slots=True)
class Skipped:
    """Something recognised but deliberately not decoded (keys, CSRs), or a file in a tree that could
    not be read (`malformed` when it looked like certificate data but did not parse)."""

    path: str
    line: int | None
    reason: str
    malformed: bool = False


@dataclass(slots=True)
class Loaded:
    """Everything found under the given paths."""

    certificates: list[FoundCert] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored_files: int = 0
    keys: list[KeyFacts] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def extend(self, other: "Loaded") -> None:
        self.certificates.extend(other.certificates)
        self.skipped.extend(other.skipped)
        self.ignored_files += other.ignored_files
        self.keys.extend(other.keys)
        self.findings.extend(other.findings)


def _found(cert: x509.Certificate, name: str, path: str, line: int | None, kind: SourceKind, label: str | None = None) -> FoundCert:
    return FoundCert(name=name, path=path, line=line, kind=kind, info=describe(cert), label=label,
                     public_key_sha256=certificate_key_sha256(cert), x509_cert=cert)


_SKIP_REASONS = {
    "CERTIFICATE REQUEST": "certificate signing request",
    "NEW CERTIFICATE REQUEST": "certificate signing request",
    "PUBLIC KEY": "public key",
    "RSA PUBLIC KEY": "public key",
    "X509 CRL": "certificate revocation list",
    "TRUSTED CERTIFICATE": "OpenSSL trusted certificate (not decoded)",
    "PKCS7": "PKCS#7 bundle (not decoded)",
}


def _skip_reason(label: str) -> str:
    if "PRIVATE KEY" in label:
        return "private key (not shown)"
    return _SKIP_REASONS.get(label, f"PEM block {label} (not a certificate)")


def parse_pem(text: str, path: str, *, name_prefix: str | None = None, line_offset: int = 0) -> Loaded:
    """Every CERTIFICATE block in PEM text; other blocks are listed as skipped."""
    out = Loaded()
    lines = text.splitlines()
    blocks: list[tuple[int, str, list[str]]] = []
    i = 0
    while i < len(lines):
        m = _BEGIN.match(lines[i].strip())
        if not m:
            i += 1
            continue
        label, start = m.group(1), i
        body: list[str] = []
        i += 1
        while i < len(lines):
            end = _END.match(lines[i].strip())
            if end:
                if end.group(1) != label:
                    raise OpsInputError(
                        f"PEM block BEGIN {label} closed by END {end.group(1)}", path=path, line=i + 1 + line_offset
                    )
                break
            body.append(lines[i].strip())
            i += 1
        else:
            raise OpsInputError(f"PEM block {label} has no END line", path=path, line=start + 1 + line_offset)
        blocks.append((start + 1 + line_offset, label, body))
        i += 1
    total = sum(1 for b in blocks if b[1] == "CERTIFICATE")
    base = name_prefix or path
    index = 0
    for line, label, body in blocks:
        if label != "CERTIFICATE":
            out.skipped.append(Skipped(path=path, line=line, reason=_skip_reason(label)))
            if "PRIVATE KEY" in label:
                block = "\n".join([f"-----BEGIN {label}-----", *body, f"-----END {label}-----", ""])
                out.keys.append(private_key_facts(block.encode("utf-8", "surrogateescape"), path, line, pem=True))
            continue
        try:
            der = base64.b64decode("".join(body), validate=True)
        except (binascii.Error, ValueError):
            raise OpsInputError("CERTIFICATE block is not valid base64", path=path, line=line) from None
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError as error:
            raise OpsInputError(f"CERTIFICATE block does not decode as X.509: {error}", path=path, line=line) from None
        index += 1
        name = base if total == 1 else f"{base}#{index}"
        out.certificates.append(_found(cert, name, path, line, SourceKind.PEM))
    return out


class _LineStr(str):
    """A YAML string that remembers its line, so kubeconfig errors can point at it."""

    line: int = 0


class _LineLoader(GuardedSafeLoader):
    pass


def _construct_str(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> _LineStr:
    value = _LineStr(loader.construct_scalar(node))
    value.line = node.start_mark.line + 1
    return value


_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)


def _looks_like_kubeconfig(doc: object) -> bool:
    return isinstance(doc, dict) and (isinstance(doc.get("clusters"), list) or isinstance(doc.get("users"), list))


def _line_of(mapping: dict, key: str) -> int | None:
    for k in mapping:
        if k == key:
            return getattr(k, "line", None)
    return None


def _b64(data: object, path: str, line: int | None, label: str) -> bytes:
    try:
        return base64.b64decode("".join(str(data).split()), validate=True)
    except (binascii.Error, ValueError):
        raise OpsInputError(f"{label} is not valid base64", path=path, line=line) from None


def _embedded(data: str, path: str, line: int | None, label: str) -> Loaded:
    raw = _b64(data, path, line, label)
    name = f"{path}:{label}"
    if b"-----BEGIN" in raw:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise OpsInputError(f"{label} is not UTF-8 PEM", path=path, line=line) from None
        try:
            found = parse_pem(text, path, name_prefix=name)
        except OpsInputError as error:
            raise OpsInputError(f"{label}: {error.message}", path=path, line=line) from None
        for cert in found.certificates:
            cert.line, cert.kind, cert.label = line, SourceKind.KUBECONFIG, label
        for skipped in found.skipped:
            skipped.line = line
        return found
    try:
        cert = x509.load_der_x509_certificate(raw)
    except ValueError:
        raise OpsInputError(f"{label} holds neither PEM nor DER certificate data", path=path, line=line) from None
    return Loaded(certificates=[_found(cert, name, path, line, SourceKind.KUBECONFIG, label)])


_KEY_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----.*?-----END \1-----", re.DOTALL)


def key_in(raw: bytes, path: str, line: int | None) -> KeyFacts:
    """The (first) private key in PEM or DER bytes, as its public-key fingerprint."""
    if b"-----BEGIN" in raw:
        m = _KEY_BLOCK.search(raw)
        if m is None:
            return KeyFacts(path, line, None, "no private key in it")
        return private_key_facts(m.group(0), path, line, pem=True)
    return private_key_facts(raw, path, line, pem=False)


def _referenced(value: object, base_dir: Path, path: str, line: int | None, label: str) -> tuple[Path | None, Finding | None]:
    """The file a kubeconfig field names, or a finding that it is missing (kubectl would fail)."""
    ref = Path(str(value))
    target = ref if ref.is_absolute() else base_dir / ref
    try:
        target.stat()
    except OSError as error:
        what = "is a symlink loop" if error.errno == errno.ELOOP else "is missing" if error.errno == errno.ENOENT else f"cannot be read: {error.strerror}"
        return None, Finding(Severity.CRITICAL, "missing-file", path, line, f"{label}: referenced file {ref} {what}")
    if target.is_dir():
        return None, Finding(Severity.CRITICAL, "missing-file", path, line, f"{label}: referenced file {ref} is a directory")
    return target, None


def _user_key(inner: dict, base_dir: Path, path: str, label: str, out: Loaded) -> KeyFacts | None:
    """The client key of a kubeconfig user, as a fingerprint; listed as skipped, never shown."""
    key_field = "client-key-data" if inner.get("client-key-data") else "client-key" if inner.get("client-key") else None
    if key_field is None:
        return None
    line = _line_of(inner, key_field)
    out.skipped.append(Skipped(path=path, line=line, reason=f"{label}/{key_field}: private key (not shown)"))
    if key_field == "client-key-data":
        try:
            raw = _b64(inner[key_field], path, line, f"{label}/{key_field}")
        except OpsInputError as error:
            return KeyFacts(path, line, None, error.message)
        return key_in(raw, path, line)
    target, finding = _referenced(inner[key_field], base_dir, path, line, f"{label}/{key_field}")
    if finding is not None:
        out.findings.append(finding)
        return None
    assert target is not None
    return key_in(read_bytes(str(target), limit=MAX_FILE_BYTES), str(target), None)


def _section_certs(inner: dict, cert_key: str, base_dir: Path, path: str, label: str) -> Loaded:
    """The certificate of one cluster (certificate-authority) or user (client-certificate) entry."""
    field_label = f"{label}/{cert_key}"
    if inner.get(f"{cert_key}-data"):
        return _embedded(inner[f"{cert_key}-data"], path, _line_of(inner, f"{cert_key}-data"), f"{field_label}-data")
    if not inner.get(cert_key):
        return Loaded()
    target, finding = _referenced(inner[cert_key], base_dir, path, _line_of(inner, cert_key), field_label)
    if finding is not None:
        return Loaded(findings=[finding])
    assert target is not None
    referenced = load_file(str(target), explicit=True)
    for cert in referenced.certificates:
        cert.name, cert.label = f"{path}:{field_label}={cert.name}", field_label
    return referenced


def parse_kubeconfig(doc: dict, path: str) -> Loaded:
    """Certificates embedded in (or referenced by) a kubeconfig; keys only as fingerprints, tokens never read."""
    out = Loaded()
    base_dir = Path(path).parent
    for section, inner_key, cert_key in (("clusters", "cluster", "certificate-authority"), ("users", "user", "client-certificate")):
        for entry in doc.get(section) or []:
            if not isinstance(entry, dict) or not isinstance(entry.get(inner_key), dict):
                continue
            inner, label = entry[inner_key], f"{section}/{entry.get('name', '?')}"
            found = _section_certs(inner, cert_key, base_dir, path, label)
            if section == "users":
                key = _user_key(inner, base_dir, path, label, found)
                if found.certificates and key is not None:
                    found.certificates[0].key = key
            out.extend(found)
    return out


def _try_kubeconfig(text: str, path: str) -> Loaded | None:
    if "clusters:" not in text and "users:" not in text:
        return None
    try:
        doc = load_yaml(text, path, _LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if "apiVersion" in text and "kind: Config" in text:
            line = mark.line + 1 if mark is not None else None
            raise OpsInputError(f"kubeconfig is not valid YAML: {getattr(error, 'problem', error)}", path=path, line=line) from None
        return None
    if not _looks_like_kubeconfig(doc):
        return None
    return parse_kubeconfig(doc, path)


def _decode_kubeconfig(raw: bytes, path: str) -> str | None:
    """UTF-8 text of a possible kubeconfig. kubectl (go-yaml) rejects other bytes, so a kubeconfig
    holding them is an error at their line; other non-UTF-8 files are simply not kubeconfigs."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if b"kind: Config" in raw and (b"clusters:" in raw or b"users:" in raw):
            line = raw[: error.start].count(b"\n") + 1
            raise OpsInputError(f"kubeconfig holds bytes that are not UTF-8 (0x{raw[error.start]:02x});"
                                " kubectl rejects it too", path=path, line=line) from None
        return None


def load_file(path: str, *, explicit: bool) -> Loaded:
    """Certificates in one file. An explicit file that holds nothing recognisable is an input error."""
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES and not explicit:
            return Loaded(ignored_files=1)
    except OSError:
        pass
    try:
        raw = read_bytes(path, limit=MAX_FILE_BYTES)
    except OpsInputError as error:
        if explicit:
            raise
        return Loaded(skipped=[Skipped(path=path, line=None, reason=f"unreadable: {error.message}")])
    if b"-----BEGIN " in raw:
        found = parse_pem(raw.decode("utf-8", errors="surrogateescape"), path)
        if found.certificates or found.skipped:
            return found
    text = _decode_kubeconfig(raw, path)
    if text is not None:
        found = _try_kubeconfig(text, path)
        if found is not None:
            return found
    if raw[:1] == b"\x30":
        try:
            cert = x509.load_der_x509_certificate(raw)
        except ValueError:
            cert = None
        if cert is not None:
            return Loaded(certificates=[_found(cert, path, path, None, SourceKind.DER)])
        if path.endswith((".key", ".der")) or "key" in os.path.basename(path):
            return Loaded(skipped=[Skipped(path=path, line=None, reason="binary (DER) data, probably a key (not shown)")],
                          keys=[key_in(raw, path, None)])
    if explicit:
        raise OpsInputError("no certificate, key or kubeconfig found (expected PEM, DER or a kubeconfig)", path=path)
    return Loaded(ignored_files=1)


def _load_in_tree(path: str) -> Loaded:
    """A file found by walking a directory: malformed data is listed with its line, not fatal, so one
    broken file does not hide every other certificate of the tree."""
    try:
        return load_file(path, explicit=False)
    except OpsInputError as error:
        return Loaded(skipped=[Skipped(path=error.path or path, line=error.line, reason=f"malformed: {error.message}", malformed=True)])


def _walk(root: str) -> Loaded:
    """Every file under `root`. Symlinks are followed only within the tree; a loop is a finding."""
    out = Loaded()
    top = os.path.realpath(root)
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(folder, name)
            if os.path.islink(full):
                try:
                    target = os.path.realpath(full, strict=True)
                except OSError as error:
                    if error.errno == errno.ELOOP:
                        out.findings.append(Finding(Severity.WARNING, "symlink-loop", full, None, "symlink loop (too many levels of symbolic links)"))
                    else:
                        out.skipped.append(Skipped(path=full, line=None, reason=f"broken symlink to {os.readlink(full)}"))
                    continue
                if os.path.commonpath([top, target]) != top:
                    out.skipped.append(Skipped(path=full, line=None, reason=f"symlink to {target} outside the scanned tree (not followed)"))
                    continue
            if os.path.isfile(full):
                out.extend(_load_in_tree(full))
    return out


def load_paths(paths: list[str]) -> Loaded:
    """Every certificate under the given files and directories, in a stable order."""
    out = Loaded()
    for given in paths:
        if os.path.isdir(given):
            out.extend(_walk(given))
        elif os.path.lexists(given):
            out.extend(load_file(given, explicit=True))
        else:
            raise OpsInputError("no such file or directory", path=given)
    out.certificates.sort(key=lambda c: (c.path, c.line or 0, c.name))
    out.skipped.sort(key=lambda s: (s.path, s.line or 0, s.reason))
    out.findings.sort(key=lambda f: (f.path, f.line or 0, f.message))
    return out
