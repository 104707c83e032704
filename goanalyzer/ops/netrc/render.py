"""Text rendering of `netrc check` (JSON comes from the model)."""

from __future__ import annotations

from goanalyzer.ops.netrc.reader import NetrcReport


def render_netrc(report: NetrcReport) -> str:
    lines = [f"{report.path} (mode {report.mode})" if report.mode else report.path]
    if not report.entries:
        lines.append("  no entries the go command can use")
    for e in report.entries:
        shadow = f"  (never used: line {e.shadowed_by} wins)" if e.shadowed_by else ""
        lines.append(f"  line {e.line:<4} machine {e.machine}  login {e.login}  password {e.password}{shadow}")
    for f in report.findings:
        where = f"line {f.line}: " if f.line else ""
        lines.append(f"{f.severity.value}: {where}{f.message}")
    return "\n".join(lines)
