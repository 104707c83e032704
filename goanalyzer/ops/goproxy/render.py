"""Text rendering of `goproxy explain|modules` (JSON comes from the models)."""

from __future__ import annotations

from goanalyzer.ops.goproxy.goenv import SETTINGS, GoEnv
from goanalyzer.ops.goproxy.proxy import EntryKind, Finding, Route


def render_env(env: GoEnv) -> list[str]:
    lines = []
    for name in SETTINGS:
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


def render_routes(env: GoEnv, routes: list[Route], findings: list[Finding]) -> str:
    """The settings, each module's route, then the findings."""
    lines = render_env(env)
    lines.append("")
    for r in routes:
        lines.extend(render_route(r))
    findings_text = render_findings(findings)
    if findings_text:
        lines.append("")
        lines.extend(findings_text)
    return "\n".join(lines)
