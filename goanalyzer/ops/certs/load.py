"""Find certificates on disk: PEM files (bundles, chains), DER files, kubeconfigs and whole trees.

Private keys, public keys and CSRs are recognised and listed as skipped, never decoded or shown.
Malformed certificate data raises OpsInputError with the file and line.
"""

from __future__ import annotations

import base64
import binascii
import enum
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from cryptography import x509

from goanalyzer.ops.certs.inspect import CertInfo, describe
from goanalyzer.ops.common import OpsInputError

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

    def extend(self, other: "Loaded") -> None:
        self.certificates.extend(other.certificates)
        self.skipped.extend(other.skipped)
        self.ignored_files += other.ignored_files


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
        out.certificates.append(FoundCert(name=name, path=path, line=line, kind=SourceKind.PEM, info=describe(cert)))
    return out


class _LineStr(str):
    """A YAML string that remembers its line, so kubeconfig errors can point at it."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
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


def _embedded(data: str, path: str, line: int | None, label: str) -> Loaded:
    try:
        raw = base64.b64decode("".join(str(data).split()), validate=True)
    except (binascii.Error, ValueError):
        raise OpsInputError(f"{label} is not valid base64", path=path, line=line) from None
    if b"-----BEGIN" in raw:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise OpsInputError(f"{label} is not UTF-8 PEM", path=path, line=line) from None
        try:
            found = parse_pem(text, path, name_prefix=f"{path}:{label}")
        except OpsInputError as error:
            raise OpsInputError(f"{label}: {error.message}", path=path, line=line) from None
        for cert in found.certificates:
            cert.line, cert.kind = line, SourceKind.KUBECONFIG
        for skipped in found.skipped:
            skipped.line = line
        return found
    try:
        cert = x509.load_der_x509_certificate(raw)
    except ValueError:
        raise OpsInputError(f"{label} holds neither PEM nor DER certificate data", path=path, line=line) from None
    found = Loaded()
    found.certificates.append(
        FoundCert(name=f"{path}:{label}", path=path, line=line, kind=SourceKind.KUBECONFIG, info=describe(cert))
    )
    return found


def parse_kubeconfig(doc: dict, path: str) -> Loaded:
    """Certificates embedded in (or referenced by) a kubeconfig; keys and tokens are never read."""
    out = Loaded()
    base_dir = Path(path).parent
    sections = (("clusters", "cluster", ("certificate-authority",)), ("users", "user", ("client-certificate",)))
    for section, inner_key, cert_keys in sections:
        for entry in doc.get(section) or []:
            if not isinstance(entry, dict):
                continue
            entry_name = str(entry.get("name", "?"))
            inner = entry.get(inner_key)
            if not isinstance(inner, dict):
                continue
            for key in cert_keys:
                label = f"{section}/{entry_name}/{key}"
                if inner.get(f"{key}-data"):
                    out.extend(_embedded(inner[f"{key}-data"], path, _line_of(inner, f"{key}-data"), f"{label}-data"))
                elif inner.get(key):
                    ref = Path(str(inner[key]))
                    target = ref if ref.is_absolute() else base_dir / ref
                    if target.is_file():
                        referenced = load_file(str(target), explicit=True)
                        for cert in referenced.certificates:
                            cert.name = f"{path}:{label}={cert.name}"
                        out.extend(referenced)
                    else:
                        out.skipped.append(Skipped(path=path, line=_line_of(inner, key), reason=f"{label}: file {ref} not found"))
            if section == "users" and (inner.get("client-key-data") or inner.get("client-key")):
                key_field = "client-key-data" if inner.get("client-key-data") else "client-key"
                out.skipped.append(
                    Skipped(path=path, line=_line_of(inner, key_field), reason=f"users/{entry_name}/{key_field}: private key (not shown)")
                )
    return out


def _try_kubeconfig(text: str, path: str) -> Loaded | None:
    if "clusters:" not in text and "users:" not in text:
        return None
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if "apiVersion" in text and "kind: Config" in text:
            line = mark.line + 1 if mark is not None else None
            raise OpsInputError(f"kubeconfig is not valid YAML: {getattr(error, 'problem', error)}", path=path, line=line) from None
        return None
    if not _looks_like_kubeconfig(doc):
        return None
    return parse_kubeconfig(doc, path)


def load_file(path: str, *, explicit: bool) -> Loaded:
    """Certificates in one file. An explicit file that holds nothing recognisable is an input error."""
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            if explicit:
                raise OpsInputError(f"file is larger than {MAX_FILE_BYTES} bytes", path=path)
            return Loaded(ignored_files=1)
        raw = Path(path).read_bytes()
    except OSError as error:
        if explicit:
            raise OpsInputError(f"cannot read: {error.strerror or error}", path=path) from None
        return Loaded(skipped=[Skipped(path=path, line=None, reason=f"unreadable: {error.strerror or error}")])
    if b"-----BEGIN " in raw:
        text = raw.decode("utf-8", errors="replace")
        found = parse_pem(text, path)
        if found.certificates or found.skipped:
            return found
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
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
            return Loaded(certificates=[FoundCert(name=path, path=path, line=None, kind=SourceKind.DER, info=describe(cert))])
        if path.endswith((".key", ".der")) or "key" in os.path.basename(path):
            return Loaded(skipped=[Skipped(path=path, line=None, reason="binary (DER) data, probably a key (not shown)")])
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


def load_paths(paths: list[str]) -> Loaded:
    """Every certificate under the given files and directories, in a stable order."""
    out = Loaded()
    for given in paths:
        if os.path.isdir(given):
            for root, dirs, files in os.walk(given):
                dirs.sort()
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if os.path.isfile(full):
                        out.extend(_load_in_tree(full))
        elif os.path.exists(given):
            out.extend(load_file(given, explicit=True))
        else:
            raise OpsInputError("no such file or directory", path=given)
    out.certificates.sort(key=lambda c: (c.path, c.line or 0, c.name))
    out.skipped.sort(key=lambda s: (s.path, s.line or 0, s.reason))
    return out
