"""Saved `kubeadm certs check-expiration` output: the text tables (current and old `alpha certs`
layouts, blank CA column, interleaved klog lines) and the `-o json|yaml` CertificateExpirationInfo form.

Each row is judged again at `now` (the saved residual time goes stale), or at capture time on request.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import yaml

from goanalyzer.ops.certs.inspect import Assessment, assess, short_duration
from goanalyzer.ops.certs.klog import KLOG_HEADER
from goanalyzer.ops.certs.layout import renew_by_name, renew_plan
from goanalyzer.ops.common import OpsInputError, Severity, exit_code_for
from goanalyzer.ops.inputs import check_json_nesting, load_yaml

_EXPIRES = re.compile(r"[A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} UTC")
_RESIDUAL = re.compile(r"^(?:<invalid>|-?\d+[smhdy])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "y": 365 * 86400}


@dataclass(slots=True)
class KubeadmEntry:
    """One row of check-expiration output, re-judged."""

    name: str
    section: str
    line: int | None
    expires: datetime | None
    residual_at_capture: str
    certificate_authority: str | None
    externally_managed: bool | None
    missing: bool
    assessment: Assessment | None
    severity: Severity
    renew: str | None = None
    """`kubeadm certs renew NAME`, or why kubeadm cannot renew it (a CA, an external CA)."""
    restart: list[str] = field(default_factory=list)
    """Static pods that read it and need a restart after renewal."""


@dataclass(slots=True)
class KubeadmReport:
    """All rows of one saved output."""

    path: str
    input_format: str
    api_version: str | None
    now: datetime
    basis: str
    warn_days: int
    crit_days: int
    entries: list[KubeadmEntry] = field(default_factory=list)
    renew_plan: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return exit_code_for([e.severity for e in self.entries])


@dataclass(slots=True)
class _RawEntry:
    name: str
    section: str
    line: int | None
    expires: datetime | None
    residual_text: str
    residual_seconds: int | None
    ca: str | None
    managed: bool | None
    missing: bool


def residual_to_seconds(text: str) -> int | None:
    """'348d' -> seconds; '<invalid>' (kubeadm's word for an expired certificate) -> -1."""
    if text == "<invalid>":
        return -1
    m = re.fullmatch(r"(-?\d+)([smhdy])", text)
    return int(m.group(1)) * _UNIT_SECONDS[m.group(2)] if m else None


def _bool(text: str | None) -> bool | None:
    if text is None or text == "":
        return None
    return text.lower() in ("yes", "true")


def _columns(header: str) -> dict[str, int]:
    cols = {"name": 0, "expires": header.find("EXPIRES"), "residual": header.find("RESIDUAL TIME")}
    ca = header.find("CERTIFICATE AUTHORITY", 1)
    if ca > 0:
        cols["ca"] = ca
    managed = header.find("EXTERNALLY MANAGED")
    if managed > 0:
        cols["managed"] = managed
    return cols


def _parse_row(line: str, lineno: int, section: str, cols: dict[str, int], path: str) -> _RawEntry:
    text = line.rstrip()
    if text.startswith("!MISSING!"):
        name = text.split()[1] if len(text.split()) > 1 else "?"
        return _RawEntry(name, section, lineno, None, "", None, None, None, True)
    m = _EXPIRES.search(text)
    if not m or not text.split():
        raise OpsInputError("row of the check-expiration table has no expiry date (e.g. 'Apr 09, 2024 09:17 UTC')", path=path, line=lineno)
    name = text[: m.start()].strip()
    if not name or " " in name:
        raise OpsInputError(f"unrecognised certificate name {name!r} in check-expiration table", path=path, line=lineno)
    expires = datetime.strptime(m.group(0), "%b %d, %Y %H:%M UTC").replace(tzinfo=timezone.utc)
    tokens = [(t.start(), t.group(0)) for t in re.finditer(r"\S+", text[m.end():])]
    tokens = [(start + m.end(), value) for start, value in tokens]
    residual = ""
    if tokens and _RESIDUAL.match(tokens[0][1]):
        residual = tokens.pop(0)[1]
    values: dict[str, str] = {}
    later = [c for c in ("ca", "managed") if c in cols]
    for start, value in tokens:
        if not later:
            raise OpsInputError(f"unexpected value {value!r} in check-expiration table", path=path, line=lineno)
        column = min(later, key=lambda c: abs(cols[c] - start))
        values[column] = value
    return _RawEntry(
        name=name,
        section=section,
        line=lineno,
        expires=expires,
        residual_text=residual,
        residual_seconds=residual_to_seconds(residual) if residual else None,
        ca=values.get("ca") or None,
        managed=_bool(values.get("managed")),
        missing=False,
    )


def parse_text(text: str, path: str) -> list[_RawEntry]:
    """Both tables of the text output; klog and `[check-expiration]` lines around them are ignored."""
    out: list[_RawEntry] = []
    cols: dict[str, int] | None = None
    section = ""
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if line.startswith("CERTIFICATE") and "EXPIRES" in line and "RESIDUAL TIME" in line:
            cols = _columns(line)
            section = "certificate-authority" if line.startswith("CERTIFICATE AUTHORITY") else "certificate"
            continue
        if cols is None:
            continue
        if not stripped:
            cols = None
            continue
        if KLOG_HEADER.match(stripped) or stripped.startswith("["):
            continue
        out.append(_parse_row(line, lineno, section, cols, path))
    if not out:
        raise OpsInputError("no `kubeadm certs check-expiration` table (CERTIFICATE  EXPIRES  RESIDUAL TIME ...) found", path=path)
    return out


def _line_in(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _name_lines(text: str, name: str) -> list[int]:
    """Lines where an entry's `name` key has this value: `"name": "ca"` (JSON) or `- name: ca` (YAML).
    A bare search for the value would also hit e.g. `"caName": "ca"` of an earlier entry."""
    value = re.escape(name)
    pattern = re.compile(
        rf'"name"\s*:\s*"{value}"|^[ \t-]*name:[ \t]*(?:"{value}"|\'{value}\'|{value})[ \t]*(?:#.*)?$',
        re.MULTILINE,
    )
    return [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]


def parse_structured(doc: object, text: str, path: str) -> tuple[str | None, list[_RawEntry]]:
    """The CertificateExpirationInfo object (output.kubeadm.k8s.io v1alpha2: residualTime in
    nanoseconds; v1alpha3: in seconds)."""
    if not isinstance(doc, dict) or not (isinstance(doc.get("certificates"), list) or isinstance(doc.get("certificateAuthorities"), list)):
        raise OpsInputError("not a CertificateExpirationInfo object (no certificates/certificateAuthorities lists)", path=path, line=1)
    api_version = doc.get("apiVersion")
    nanos = isinstance(api_version, str) and api_version.endswith("v1alpha2")
    out: list[_RawEntry] = []
    occurrences: dict[str, int] = {}
    for key, section in (("certificates", "certificate"), ("certificateAuthorities", "certificate-authority")):
        for item in doc.get(key) or []:
            if not isinstance(item, dict) or "name" not in item:
                raise OpsInputError(f"entry of {key} without a name", path=path, line=_line_in(text, key))
            name = str(item["name"])
            seen = occurrences[name] = occurrences.get(name, -1) + 1
            lines = _name_lines(text, name)
            line = lines[seen] if seen < len(lines) else None
            missing = bool(item.get("missing"))
            expires = None
            raw_date = item.get("expirationDate")
            if raw_date and not missing:
                try:
                    value = raw_date if isinstance(raw_date, datetime) else datetime.fromisoformat(str(raw_date).replace("Z", "+00:00"))
                except ValueError:
                    raise OpsInputError(f"expirationDate {raw_date!r} of {name} is not RFC 3339", path=path, line=line) from None
                expires = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
            elif not missing:
                raise OpsInputError(f"{name} has no expirationDate", path=path, line=line)
            residual = item.get("residualTime")
            seconds = None
            if isinstance(residual, (int, float)):
                seconds = int(residual // 1_000_000_000) if nanos else int(residual)
            out.append(
                _RawEntry(
                    name=name,
                    section=section,
                    line=line,
                    expires=expires,
                    residual_text="" if seconds is None or missing else short_duration(seconds),
                    residual_seconds=seconds,
                    ca=item.get("caName") or None,
                    managed=item.get("externallyManaged") if isinstance(item.get("externallyManaged"), bool) else None,
                    missing=missing,
                )
            )
    return (str(api_version) if api_version else None), out


def parse(text: str, path: str) -> tuple[str, str | None, list[_RawEntry]]:
    """Detect the form (json, yaml, text) and parse it."""
    head = text.lstrip()
    if head.startswith("{"):
        check_json_nesting(text, path)
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as error:
            raise OpsInputError(f"invalid JSON: {error.msg}", path=path, line=error.lineno) from None
        api_version, entries = parse_structured(doc, text, path)
        return "json", api_version, entries
    if "CertificateExpirationInfo" in text or head.startswith(("apiVersion:", "kind:", "certificates:")):
        try:
            doc = load_yaml(text, path)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise OpsInputError(f"invalid YAML: {getattr(error, 'problem', error)}", path=path, line=mark.line + 1 if mark else None) from None
        api_version, entries = parse_structured(doc, text, path)
        return "yaml", api_version, entries
    return "text", None, parse_text(text, path)


def evaluate(
    text: str, path: str, now: datetime, warn_days: int = 30, crit_days: int = 0, basis: str = "now"
) -> KubeadmReport:
    """Parse and judge every row. basis 'now': from the expiry date; 'capture': from the saved residual time."""
    input_format, api_version, raw = parse(text, path)
    report = KubeadmReport(path=path, input_format=input_format, api_version=api_version, now=now, basis=basis, warn_days=warn_days, crit_days=crit_days)
    for r in raw:
        assessment: Assessment | None = None
        if r.missing:
            severity = Severity.WARNING
        else:
            if basis == "capture" and r.residual_seconds is not None:
                assessment = assess(None, now + timedelta(seconds=r.residual_seconds), now, warn_days, crit_days)
            else:
                assert r.expires is not None
                assessment = assess(None, r.expires, now, warn_days, crit_days)
            severity = assessment.severity
        report.entries.append(
            KubeadmEntry(
                name=r.name,
                section=r.section,
                line=r.line,
                expires=r.expires,
                residual_at_capture=r.residual_text,
                certificate_authority=r.ca,
                externally_managed=r.managed,
                missing=r.missing,
                assessment=assessment,
                severity=severity,
            )
        )
        entry = report.entries[-1]
        entry.renew, entry.restart = renew_by_name(r.name, r.section, r.ca, r.managed)
    report.renew_plan = renew_plan([(e.name, e.renew, e.restart) for e in report.entries
                                    if e.renew and not e.missing and e.severity is not Severity.INFO])
    return report
