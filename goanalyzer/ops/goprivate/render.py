"""Text renderings of the goproxy, dockerfile and netrc results (JSON comes from the models)."""

from __future__ import annotations

from goanalyzer.ops.goprivate.goenv import GoEnv
from goanalyzer.ops.goprivate.leaks import LintReport
from goanalyzer.ops.goprivate.netrc import NetrcReport
from goanalyzer.ops.goprivate.proxy import EntryKind, Finding, Route

ENV_ORDER = ("GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOPROXY", "GOSUMDB", "GOINSECURE")


def render_env(env: GoEnv) -> list[str]:
    lines = []
    for name in ENV_ORDER:
        setting = env.settings[name]
        if name == "GOINSECURE" and not setting.effective:
            continue
        lines.append(f"{name}={setting.effective}  ({setting.source})")
    return lines


def render_route(r: Route) -> list[str]:
    head = r.module + (f" {r.version}" if r.version else "")
    if r.replaced_by:
        head += f" => {r.replaced_by}"
    if r.indirect:
        head += " // indirect"
    if r.replaced_by and not r.attempts:
        lines = [f"{head}: local directory"]
    else:
        lines = [f"{head}: " + (f"private (GOPRIVATE {r.goprivate_match!r})" if r.private else "public")]
    if not r.attempts:
        lines.append("  fetch: nothing (not downloaded)")
    elif r.gonoproxy_match is not None:
        lines.append(f"  fetch: direct from the origin's version control (GONOPROXY {r.gonoproxy_match!r})")
    else:
        for number, attempt in enumerate(r.attempts, start=1):
            prefix = "  fetch: " if number == 1 else "         "
            if attempt.kind is EntryKind.DIRECT:
                what = "direct (the origin's version control)"
            elif attempt.kind is EntryKind.OFF:
                what = "off (fails: module lookup disabled by GOPROXY=off)"
            else:
                what = attempt.source
            tail = f"  (next only on {attempt.next_on})" if attempt.next_on == "404 or 410" else (
                f"  (next on {attempt.next_on})" if attempt.next_on else "")
            lines.append(f"{prefix}{number}. {what}{tail}")
    if r.attempts:
        if r.checksum_db:
            lines.append(f"  checksum database: {r.checksum_db} ({r.checksum_reason})")
        else:
            lines.append(f"  checksum database: not consulted ({r.checksum_reason})")
    if r.goinsecure_match:
        lines.append(f"  insecure: GOINSECURE {r.goinsecure_match!r} allows plain HTTP and unverified HTTPS for direct fetches")
    return lines


def render_findings(findings: list[Finding]) -> list[str]:
    return [f"{f.severity.value}: {f.message}" for f in findings]


def render_routes(data: dict) -> str:
    lines = render_env(data["env_model"])
    lines.append("")
    for r in data["routes"]:
        lines.extend(render_route(r))
    findings = render_findings(data["findings"])
    if findings:
        lines.append("")
        lines.extend(findings)
    return "\n".join(lines)


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
