"""`certs scan`: every certificate found on disk, judged at one instant."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from goanalyzer.ops.certs.inspect import Assessment, CertInfo, assess
from goanalyzer.ops.certs.load import FoundCert, Loaded, Skipped, SourceKind
from goanalyzer.ops.common import Severity, exit_code_for


@dataclass(slots=True)
class ScanRow:
    """One certificate with its verdict."""

    name: str
    path: str
    line: int | None
    kind: SourceKind
    certificate: CertInfo
    assessment: Assessment


@dataclass(slots=True)
class ScanReport:
    """The whole scan: rows, what was skipped, and the thresholds used."""

    now: datetime
    warn_days: int
    crit_days: int
    certificates: list[ScanRow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored_files: int = 0
    summary: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        severities = [row.assessment.severity for row in self.certificates]
        severities += [Severity.WARNING for s in self.skipped if s.malformed]
        return exit_code_for(severities)


def _row(found: FoundCert, now: datetime, warn_days: int, crit_days: int) -> ScanRow:
    info = found.info
    return ScanRow(
        name=found.name,
        path=found.path,
        line=found.line,
        kind=found.kind,
        certificate=info,
        assessment=assess(info.not_before, info.not_after, now, warn_days, crit_days),
    )


def scan(loaded: Loaded, now: datetime, warn_days: int = 30, crit_days: int = 0) -> ScanReport:
    """Judge every loaded certificate; the summary counts each status."""
    rows = [_row(found, now, warn_days, crit_days) for found in loaded.certificates]
    summary = {"certificates": len(rows), "ok": 0, "expiring": 0, "expired": 0, "not-yet-valid": 0}
    for row in rows:
        summary[row.assessment.status.value] += 1
    summary["critical"] = sum(1 for r in rows if r.assessment.severity == Severity.CRITICAL)
    summary["warning"] = sum(1 for r in rows if r.assessment.severity == Severity.WARNING)
    return ScanReport(
        now=now,
        warn_days=warn_days,
        crit_days=crit_days,
        certificates=rows,
        skipped=list(loaded.skipped),
        ignored_files=loaded.ignored_files,
        summary=summary,
    )
