"""`certs scan`: every certificate found on disk, judged at one instant, with what to do next.

Beyond expiry, each row says which scanned CA really signed it, whether its private key belongs to
it, and, in a kubeadm tree, its `kubeadm certs renew` name, CA, externally-managed flag and the static
pods to restart. A control-plane tree is also checked for the files kubeadm expects.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime

from goanalyzer.ops.certs import layout
from goanalyzer.ops.certs.chain import ChainCheck, ChainStatus, check_chain
from goanalyzer.ops.certs.inspect import Assessment, CertInfo, assess
from goanalyzer.ops.certs.keys import KeyFacts
from goanalyzer.ops.certs.load import MAX_FILE_BYTES, Finding, FoundCert, Loaded, Skipped, SourceKind, key_in
from goanalyzer.ops.common import OpsInputError, Severity, exit_code_for
from goanalyzer.ops.inputs import read_bytes


@dataclass(slots=True)
class KubeadmRole:
    """A row's place in kubeadm's layout and the next step for it."""

    name: str
    section: str
    """certificate or certificate-authority, as in `kubeadm certs check-expiration`."""
    certificate_authority: str
    externally_managed: bool
    renew: str
    restart: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ScanRow:
    """One certificate with its verdict."""

    name: str
    path: str
    line: int | None
    kind: SourceKind
    certificate: CertInfo
    assessment: Assessment
    chain: ChainStatus = ChainStatus.ISSUER_NOT_SCANNED
    signed_by: str | None = None
    """The scanned CA whose key signed it (kubeadm's name for kubeadm's CAs)."""
    key: str = "none"
    """match, mismatch, none (no key found beside it) or why it was not checked."""
    key_path: str | None = None
    kubeadm: KubeadmRole | None = None


@dataclass(slots=True)
class MissingFile:
    """A file kubeadm creates on a control-plane node that is absent (its !MISSING! row)."""

    root: str
    file: str
    name: str
    kind: str
    """certificate, certificate-authority, key or service-account."""


@dataclass(slots=True)
class ScanReport:
    """The whole scan: rows, findings, what was skipped, and the thresholds used."""

    now: datetime
    warn_days: int
    crit_days: int
    certificates: list[ScanRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    missing: list[MissingFile] = field(default_factory=list)
    renew_plan: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored_files: int = 0
    summary: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        severities = [row.assessment.severity for row in self.certificates]
        severities += [Severity.WARNING for s in self.skipped if s.malformed]
        severities += [f.severity for f in self.findings]
        return exit_code_for(severities)


def _first_in_file(loaded: Loaded) -> set[int]:
    """ids of the first certificate of each file (the leaf, which a sibling .key belongs to)."""
    seen: dict[str, FoundCert] = {}
    for found in loaded.certificates:
        if found.kind is not SourceKind.KUBECONFIG and found.path not in seen:
            seen[found.path] = found
    return {id(found) for found in seen.values()}


def _sibling_key(path: str, keys: dict[str, KeyFacts]) -> KeyFacts | None:
    """kubeadm's convention: X.crt beside X.key (read here when the scan named only the certificate)."""
    stem, ext = os.path.splitext(path)
    if ext not in (".crt", ".pem", ".cer"):
        return None
    candidate = stem + ".key"
    if candidate in keys:
        return keys[candidate]
    if not os.path.isfile(candidate):
        return None
    try:
        return key_in(read_bytes(candidate, limit=MAX_FILE_BYTES), candidate, None)
    except OpsInputError as error:
        return KeyFacts(candidate, None, None, error.message)


def _key_for(found: FoundCert, leaf: bool, keys_by_path: dict[str, list[KeyFacts]], first_key: dict[str, KeyFacts]) -> KeyFacts | None:
    if found.key is not None:
        return found.key
    if not leaf:
        return None
    same_file = keys_by_path.get(found.path)
    return same_file[0] if same_file else _sibling_key(found.path, first_key)


def _key_status(found: FoundCert, key: KeyFacts | None) -> str:
    if key is None:
        return "none"
    if key.public_sha256 is None or found.public_key_sha256 is None:
        return key.problem or "not checked"
    return "match" if key.public_sha256 == found.public_key_sha256 else "mismatch"


def _ca_names(loaded: Loaded) -> dict[str, str]:
    """Fingerprint -> kubeadm CA name, for every certificate found at a kubeadm CA's path."""
    names: dict[str, str] = {}
    for found in loaded.certificates:
        placement = layout.place(found.path)
        if placement is not None and placement.ca is not None and found.kind is not SourceKind.KUBECONFIG:
            names.setdefault(found.info.sha256, placement.ca.name)
    return names


def _kubeadm_role(found: FoundCert, leaf: bool) -> KubeadmRole | None:
    placement = layout.place(found.path)
    if placement is None or (not leaf and found.kind is not SourceKind.KUBECONFIG):
        return None
    if placement.cert is not None and placement.cert.file.endswith(".conf"):
        if not (found.label or "").startswith("users/"):
            return None
    elif found.kind is SourceKind.KUBECONFIG:
        return None
    external = layout.externally_managed(placement.root, placement.ca_name)
    section = "certificate-authority" if placement.ca else "certificate"
    restart = list(placement.cert.restart) if placement.cert else []
    return KubeadmRole(placement.name, section, placement.ca_name, external, layout.renew_command(placement, external), restart)


def _row(found: FoundCert, context: "_Context", now: datetime, warn_days: int, crit_days: int) -> ScanRow:
    info = found.info
    leaf = id(found) in context.leaves
    key = _key_for(found, leaf, context.keys_by_path, context.first_key)
    chain: ChainCheck = check_chain(found, context.cas)
    signer = chain.signer
    signed_by = None
    if signer is not None and chain.status is ChainStatus.VERIFIED:
        signed_by = context.ca_names.get(signer.info.sha256, signer.name)
    elif chain.status is ChainStatus.SELF_SIGNED:
        signed_by = context.ca_names.get(info.sha256)
    return ScanRow(
        name=found.name, path=found.path, line=found.line, kind=found.kind, certificate=info,
        assessment=assess(info.not_before, info.not_after, now, warn_days, crit_days),
        chain=chain.status, signed_by=signed_by, key=_key_status(found, key), key_path=key.path if key else None,
        kubeadm=_kubeadm_role(found, leaf),
    )


@dataclass(slots=True)
class _Context:
    leaves: set[int]
    keys_by_path: dict[str, list[KeyFacts]]
    first_key: dict[str, KeyFacts]
    cas: list[FoundCert]
    ca_names: dict[str, str]


def _context(loaded: Loaded) -> _Context:
    keys_by_path: dict[str, list[KeyFacts]] = {}
    for key in loaded.keys:
        keys_by_path.setdefault(key.path, []).append(key)
    return _Context(
        leaves=_first_in_file(loaded),
        keys_by_path=keys_by_path,
        first_key={path: keys[0] for path, keys in keys_by_path.items()},
        cas=[c for c in loaded.certificates if c.info.is_ca or c.info.self_signed],
        ca_names=_ca_names(loaded),
    )


def _row_findings(row: ScanRow) -> list[Finding]:
    out = []
    who = f"{row.name}: " if row.name != row.path else ""
    if row.key == "mismatch":
        out.append(Finding(Severity.CRITICAL, "key-mismatch", row.path, row.line,
                           f"{who}private key {row.key_path} does not belong to this certificate"))
    if row.chain is ChainStatus.BAD_SIGNATURE:
        out.append(Finding(Severity.CRITICAL, "chain", row.path, row.line,
                           f"{who}issuer {row.certificate.issuer} was scanned, but its key did not sign this certificate"
                           " (a CA replaced without re-issuing?)"))
    role = row.kubeadm
    if role is not None and role.section == "certificate" and row.chain is ChainStatus.VERIFIED and row.signed_by in layout.CA_BY_NAME \
            and row.signed_by != role.certificate_authority:
        out.append(Finding(Severity.CRITICAL, "chain", row.path, row.line,
                           f"{who}signed by {row.signed_by}, kubeadm expects {role.certificate_authority}"))
    return out


def _kubeadm_roots(paths: list[str]) -> list[tuple[str, str]]:
    """(root, prefix of files to check) for each scanned directory that is a control-plane /etc/kubernetes or its pki/."""
    roots = []
    for given in paths:
        if not os.path.isdir(given):
            continue
        parent = os.path.dirname(os.path.abspath(given))
        if layout.is_control_plane_root(given):
            roots.append((given, ""))
        elif os.path.basename(os.path.abspath(given)) == "pki" and layout.is_control_plane_root(parent):
            roots.append((os.path.dirname(given.rstrip("/")) or ".", "pki/"))
    return roots


def _missing(paths: list[str]) -> list[MissingFile]:
    out = []
    for root, prefix in _kubeadm_roots(paths):
        for expected in layout.missing_files(root):
            if expected.file.startswith(prefix):
                out.append(MissingFile(root, expected.file, expected.name, expected.kind))
    return out


def _renew_plan(rows: list[ScanRow]) -> list[str]:
    """Commands for the kubeadm rows that need attention, then the static pods to restart."""
    return layout.renew_plan([(r.kubeadm.name, r.kubeadm.renew, r.kubeadm.restart) for r in rows
                              if r.kubeadm is not None and r.assessment.severity is not Severity.INFO])


def scan(loaded: Loaded, now: datetime, warn_days: int = 30, crit_days: int = 0, paths: list[str] | None = None) -> ScanReport:
    """Judge every loaded certificate; the summary counts each status."""
    context = _context(loaded)
    rows = [_row(found, context, now, warn_days, crit_days) for found in loaded.certificates]
    findings = list(loaded.findings)
    for row in rows:
        findings += _row_findings(row)
    missing = _missing(paths or [])
    findings += [Finding(Severity.WARNING, "missing-expected", os.path.join(m.root, m.file), None,
                         f"missing: kubeadm's {layout.ExpectedFile(m.file, m.name, m.kind).describe()}") for m in missing]
    rank = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
    findings.sort(key=lambda f: (rank[f.severity], f.path, f.line or 0, f.message))
    summary = {"certificates": len(rows), "ok": 0, "expiring": 0, "expired": 0, "not-yet-valid": 0}
    for row in rows:
        summary[row.assessment.status.value] += 1
    summary["critical"] = sum(1 for r in rows if r.assessment.severity == Severity.CRITICAL)
    summary["warning"] = sum(1 for r in rows if r.assessment.severity == Severity.WARNING)
    summary["findings"] = len(findings)
    return ScanReport(
        now=now, warn_days=warn_days, crit_days=crit_days, certificates=rows, findings=findings, missing=missing,
        renew_plan=_renew_plan(rows), skipped=list(loaded.skipped), ignored_files=loaded.ignored_files, summary=summary,
    )
