"""Text output of the certs commands (JSON goes through goanalyzer.ops.common.dumps)."""

from __future__ import annotations

from datetime import datetime

from goanalyzer.ops.certs.chain import ChainStatus
from goanalyzer.ops.certs.diagnose import Diagnosis
from goanalyzer.ops.certs.inspect import Assessment, Validity
from goanalyzer.ops.certs.kubeadm import KubeadmEntry, KubeadmReport
from goanalyzer.ops.certs.probe import ProbeResult
from goanalyzer.ops.certs.scan import ScanReport, ScanRow
from goanalyzer.ops.inputs import printable

_STATUS_TEXT = {"ok": "ok", "expiring": "EXPIRING", "expired": "EXPIRED", "not-yet-valid": "NOT YET VALID"}


def when(value: datetime | None) -> str:
    """Dates as kubeadm prints them: Apr 09, 2024 09:17 UTC."""
    return value.strftime("%b %d, %Y %H:%M UTC") if value else "-"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Left-aligned columns separated by three spaces, trailing blanks stripped."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    return ["   ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]


def residual(assessment: Assessment) -> str:
    """Residual time as kubeadm shows it: `<invalid>` once expired."""
    return "<invalid>" if assessment.status is Validity.EXPIRED else assessment.residual


_CHAIN_TEXT = {ChainStatus.SELF_SIGNED: "self-signed", ChainStatus.BAD_SIGNATURE: "BAD SIGNATURE", ChainStatus.ISSUER_NOT_SCANNED: "-"}
_KEY_TEXT = {"match": "match", "mismatch": "MISMATCH", "none": "-"}


def _signed_by(row: ScanRow) -> str:
    if row.chain is ChainStatus.VERIFIED:
        return row.signed_by or "-"
    if row.chain is ChainStatus.SELF_SIGNED and row.signed_by:
        return f"self-signed ({row.signed_by})"
    return _CHAIN_TEXT[row.chain]


def _scan_table(report: ScanReport) -> list[str]:
    rows = []
    for row in report.certificates:
        cert, a = row.certificate, row.assessment
        rows.append([
            row.name, cert.subject or "-", cert.issuer or "-", when(cert.not_after), residual(a),
            "yes" if cert.is_ca else "no", ", ".join(cert.sans) or "-", _signed_by(row), _KEY_TEXT.get(row.key, "not checked"),
            _STATUS_TEXT[a.status.value],
        ])
    header = ["CERTIFICATE", "SUBJECT", "ISSUER", "EXPIRES", "RESIDUAL TIME", "CA", "SANS", "SIGNED BY", "KEY", "STATUS"]
    return table(header, rows) if rows else ["no certificates found"]


_KUBEADM_CERT_HEADER = ["CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED", "STATUS", "RENEW", "RESTART"]
_KUBEADM_CA_HEADER = ["CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED", "STATUS"]


def _kubeadm_row(r: ScanRow, section: str) -> list[str]:
    assert r.kubeadm is not None
    managed = "yes" if r.kubeadm.externally_managed else "no"
    head = [r.kubeadm.name, when(r.certificate.not_after), residual(r.assessment)]
    status = _STATUS_TEXT[r.assessment.status.value]
    if section == "certificate-authority":
        return head + [managed, status]
    return head + [r.kubeadm.certificate_authority, managed, status, r.kubeadm.renew, ", ".join(r.kubeadm.restart) or "-"]


def _missing_row(name: str, section: str) -> list[str]:
    """A `!MISSING!` row as kubeadm prints it: no dates, nothing to renew."""
    if section == "certificate-authority":
        return [f"!MISSING! {name}", "", "", "", "MISSING"]
    return [f"!MISSING! {name}", "", "", "", "", "MISSING", "-", "-"]


def _kubeadm_tables(report: ScanReport) -> list[str]:
    """The kubeadm rows in `kubeadm certs check-expiration`'s shape, with the next step for each."""
    kubeadm = [r for r in report.certificates if r.kubeadm is not None]
    if not kubeadm and not report.missing:
        return []
    lines = ["", "kubeadm:"]
    for section, header in (("certificate", _KUBEADM_CERT_HEADER), ("certificate-authority", _KUBEADM_CA_HEADER)):
        present = [(r.kubeadm.name, _kubeadm_row(r, section)) for r in kubeadm if r.kubeadm.section == section]
        absent = [(m.name, _missing_row(m.name, section)) for m in report.missing if m.kind == section]
        if present or absent:
            if section == "certificate-authority" and lines[-1] != "kubeadm:":
                lines.append("")
            lines += table(header, [row for _, row in sorted(present + absent, key=lambda pair: pair[0])])
    return lines


def render_scan(report: ScanReport) -> str:
    lines = [f"as of {when(report.now)}; expiring = within {report.warn_days} days"]
    lines += _scan_table(report)
    lines += _kubeadm_tables(report)
    if report.renew_plan:
        lines += ["", "renew plan:"] + [f"  {step}" for step in report.renew_plan]
    if report.findings:
        lines += ["", "findings:"]
        for f in report.findings:
            where = f"{f.path}:{f.line}" if f.line else f.path
            lines.append(f"  {f.severity.value:<8}  {where}: {f.message}")
    if report.skipped:
        lines.append("")
        lines.append("skipped:")
        for s in report.skipped:
            where = f"{s.path}:{s.line}" if s.line else s.path
            lines.append(f"  {where}: {s.reason}")
    m = report.summary
    lines.append("")
    lines.append(
        f"{m['certificates']} certificate(s): {m['ok']} ok, {m['expiring']} expiring, {m['expired']} expired,"
        f" {m['not-yet-valid']} not yet valid; {m['findings']} finding(s)"
    )
    return "\n".join(printable(line) for line in lines)


def _kubeadm_rows(entries: list[KubeadmEntry], with_ca: bool) -> list[list[str]]:
    rows = []
    for e in entries:
        managed = "-" if e.externally_managed is None else ("yes" if e.externally_managed else "no")
        status = "MISSING" if e.missing else _STATUS_TEXT[e.assessment.status.value]
        left = "-" if e.assessment is None else residual(e.assessment)
        row = [e.name, when(e.expires), left, e.residual_at_capture or "-"]
        if with_ca:
            row.append(e.certificate_authority or "-")
        rows += [row + [managed, status]]
    return rows


def render_kubeadm(report: KubeadmReport) -> str:
    basis = "the expiry dates" if report.basis == "now" else "the residual times saved at capture"
    lines = [f"{report.path} ({report.input_format}): judged at {when(report.now)} from {basis}; expiring = within {report.warn_days} days"]
    certs = [e for e in report.entries if e.section == "certificate"]
    cas = [e for e in report.entries if e.section == "certificate-authority"]
    if certs:
        lines.append("")
        lines += table(
            ["CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "AT CAPTURE", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED", "STATUS"],
            _kubeadm_rows(certs, True),
        )
    if cas:
        lines.append("")
        lines += table(
            ["CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "AT CAPTURE", "EXTERNALLY MANAGED", "STATUS"],
            _kubeadm_rows(cas, False),
        )
    if report.renew_plan:
        lines += ["", "renew plan:"] + [f"  {step}" for step in report.renew_plan]
    bad = [e for e in report.entries if e.severity.value != "info"]
    lines.append("")
    lines.append(f"{len(report.entries)} entries, {len(bad)} need attention")
    return "\n".join(lines)


def render_diagnosis(d: Diagnosis) -> str:
    lines = [f"verdict: {d.verdict.value} ({d.severity.value})", d.summary]
    if d.self_addresses:
        lines.append("")
        lines.append("own addresses:")
        for a in d.self_addresses:
            lines.append(f"  {a.address} ({a.origin}: {a.reason})")
    if d.groups:
        lines.append("")
        lines.append(f"failures ({d.failures_total}, by kind, side, source, target, component):")
        for number, g in enumerate(d.groups, start=1):
            where = []
            if g.source:
                where.append(f"from {g.source}")
            if g.target:
                where.append(f"to {g.target}")
            own = " [own address]" if g.involves_self else ""
            lines.append(
                f"  [{number}] {g.kind.value} {g.side.value} {' '.join(where) or '-'}{own} {g.component}"
                f" x{g.count} {g.first.isoformat(sep=' ')} .. {g.last.isoformat(sep=' ')}"
            )
            if g.certificate_not_after:
                lines.append(f"      certificate expired at: {', '.join(g.certificate_not_after)}")
            if g.certificate_not_before:
                lines.append(f"      certificate valid only from: {', '.join(g.certificate_not_before)}")
            for s in g.samples:
                lines.append(f"      {s.path}:{s.line}: {s.text}")
    if d.patterns:
        lines.append("")
        lines.append("patterns:")
        for p in d.patterns:
            lines.append(f"  {p.pattern.value} ({p.severity.value}): groups {', '.join(str(n) for n in p.groups)}")
    if d.fix:
        lines.append("")
        lines.append("fix:")
        lines += [f"  - {f}" for f in d.fix]
    if d.verify:
        lines.append("")
        lines.append("verify:")
        lines += [f"  $ {v}" for v in d.verify]
    if d.prediction:
        p = d.prediction
        lines.append("")
        state = "expired" if p.expired else "expires"
        lines.append(
            f"prediction: apiserver started {p.started_at.isoformat(sep=' ')}; loopback certificate ({p.validity_days} days)"
            f" {state} {p.loopback_expires.isoformat(sep=' ')} (residual {p.residual})"
        )
        if p.if_restarted_now_expires and p.predicted_at:
            lines.append(f"  after a restart at {p.predicted_at.isoformat(sep=' ')} the new one would expire {p.if_restarted_now_expires.isoformat(sep=' ')}")
    return "\n".join(lines)


def render_probe(r: ProbeResult) -> str:
    head = f"{r.target} ({r.peer_address}) servername={r.servername or '-'} {r.tls_version or '?'} {r.cipher or '?'}"
    rows = []
    for c in r.chain:
        cert, a = c.certificate, c.assessment
        rows.append([
            str(c.position), cert.subject or "-", cert.issuer or "-", when(cert.not_before), when(cert.not_after),
            residual(a), "yes" if cert.is_ca else "no", ", ".join(cert.sans) or "-", _STATUS_TEXT[a.status.value],
        ])
    lines = [head, f"as of {when(r.now)}; expiring = within {r.warn_days} days"]
    lines += table(["#", "SUBJECT", "ISSUER", "NOT BEFORE", "EXPIRES", "RESIDUAL TIME", "CA", "SANS", "STATUS"], rows)
    if not r.full_chain:
        lines.append("note: only the leaf certificate is shown (this Python's ssl module does not give the served chain)")
    if r.verified is None:
        lines.append("verification: not requested (use --verify or --cafile)")
    elif r.verified:
        lines.append("verification: ok")
    else:
        lines.append(f"verification: failed: {r.verify_error}")
    return "\n".join(lines)
