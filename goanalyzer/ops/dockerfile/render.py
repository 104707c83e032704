"""Text rendering of `dockerfile lint` (JSON and SARIF come from the model)."""

from __future__ import annotations

from goanalyzer.ops.dockerfile.model import LintReport


def render_lint(report: LintReport) -> str:
    lines = [f"{report.path}: {len(report.stages)} stage{'s' if len(report.stages) != 1 else ''} "
             f"({', '.join(report.stages)}); final stage: {report.final_stage}"]
    lines.append("")
    if report.credentials:
        lines.append("Credentials")
        for cred in report.credentials:
            where = "before the first FROM" if cred.stage == "global" else f"stage {cred.stage}"
            default = f", default {cred.default}" if cred.default else ""
            lines.append(f"  {cred.kind} {cred.name} ({cred.role.value}{default}) line {cred.line}, {where}")
            lines.append(f"    why: {'; '.join(cred.reasons)}")
            for use in cred.uses:
                lines.append(f"    used: line {use.line} ({use.kind.value}): {use.detail}")
            for number, exposure in enumerate(cred.exposures):
                lines.append(("    exposed: " if number == 0 else "             ") + exposure)
            lines.append(f"    final stage carries it: {'yes' if cred.final_stage_carries else 'no'}")
    else:
        lines.append("Credentials: none found")
    if report.findings:
        lines.append("")
        lines.append("Findings")
        for f in report.findings:
            lines.append(f"  {f.severity.value:<8} line {f.line:<4} {f.rule}: {f.message}")
    if report.go_checks:
        lines.append("")
        lines.append("GOPRIVATE/GOPROXY for the private hosts")
        for c in report.go_checks:
            private = f"private (GOPRIVATE {c.private_match!r})" if c.private_match else "NOT private"
            sumdb = c.checksum_db or "not consulted"
            lines.append(f"  {c.host} at the go command of line {c.line} (stage {c.stage}): {private}; "
                         f"fetch: {' then '.join(c.attempts)}; checksum database: {sumdb}")
    for rw in report.rewrites:
        lines.append("")
        lines.append(f"Proposed BuildKit rewrite (stage {rw.stage})")
        if rw.add_syntax_directive:
            lines.append("  first line:  # syntax=docker/dockerfile:1")
        for removed in rw.remove_lines:
            lines.append(f"  delete line {removed['line']}:  {removed['text']}")
        for rep in rw.replacements:
            span = f"{rep['line']}" if rep["line"] == rep["end_line"] else f"{rep['line']}-{rep['end_line']}"
            lines.append(f"  line {span}:")
            for text in rep["before"].split("\n"):
                lines.append(f"    - {text}")
            if rep["after"] is None:
                lines.append("    (delete)")
            else:
                for text in rep["after"].split("\n"):
                    lines.append(f"    + {text}")
        lines.append("  build:")
        for command in rw.build_command:
            lines.append(f"    {command}")
    return "\n".join(lines)
