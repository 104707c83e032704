"""GOPRIVATE/GOPROXY as the first go command of each stage sees them, for every host the build
authenticates to: are that host's modules fetched directly and kept out of the checksum database?"""

from __future__ import annotations

import re

from goanalyzer.ops.common import Severity
from goanalyzer.ops.dockerfile.model import GoCheck, LeakFinding
from goanalyzer.ops.dockerfile.parser import Dockerfile, Instruction, Stage
from goanalyzer.ops.dockerfile.scopes import Rows, lineage, values
from goanalyzer.ops.dockerfile.shell import runs_go, segments
from goanalyzer.ops.goproxy.goenv import SETTINGS, RawValue, resolve
from goanalyzer.ops.goproxy.proxy import EntryKind, GoproxyError, Route, route_host

_GO_ENV_W = re.compile(r"\bgo\s+env\s+-w\s+((?:[A-Z]+=\S+\s*)+)")
_INLINE = re.compile(r"(?:^|\s|export\s+)(GO[A-Z]+)=(\S+)")


def go_env_at(chain: list[Stage], per_stage: Rows, ins: Instruction, escape: str) -> tuple[dict[str, RawValue], list[str]]:
    """Raw Go settings a RUN sees: ENV/ARG in scope, `go env -w` of earlier RUNs, inline assignments;
    and the settings whose value depends on a build arg without a default."""
    raw: dict[str, RawValue] = {}
    unknown: list[str] = []
    scope = dict(next(s for i, s in per_stage[chain[0].index] if i is ins))
    known = values(scope, escape)
    for name in SETTINGS:
        var = scope.get(name)
        if var is None:
            continue
        if known.get(name) is None:
            unknown.append(name)
        else:
            raw[name] = RawValue(known[name], f"{var.kind} at line {var.line}", var.line)
    for stage in reversed(chain):
        for earlier, _ in per_stage[stage.index]:
            if earlier.keyword != "RUN" or (stage is chain[0] and earlier.line >= ins.line):
                continue
            for m in _GO_ENV_W.finditer(earlier.text):
                for pair in m.group(1).split():
                    name, _, value = pair.partition("=")
                    if name in SETTINGS:
                        raw[name] = RawValue(value.strip("'\""), f"go env -w at line {earlier.line}", earlier.line)
    for seg in segments(ins.text):
        for m in _INLINE.finditer(seg):
            if m.group(1) in SETTINGS and (runs_go(seg) or seg.startswith("export")):
                raw[m.group(1)] = RawValue(m.group(2).strip("'\""), f"RUN at line {ins.line}", ins.line)
    return raw, unknown


def go_checks(dockerfile: Dockerfile, per_stage: Rows,
              auth_hosts: list[tuple[str, int, int]]) -> tuple[list[GoCheck], list[LeakFinding]]:
    """For each stage's first go command: is every host the stage (or a stage it is built FROM)
    authenticates to private for Go?"""
    checks: list[GoCheck] = []
    findings: list[LeakFinding] = []
    for stage in dockerfile.stages:
        go_run = next((ins for ins, _ in per_stage[stage.index] if ins.keyword == "RUN" and runs_go(ins.text)), None)
        chain = lineage(dockerfile, stage)
        hosts: dict[str, int] = {}
        for host, line, index in auth_hosts:
            if index in {s.index for s in chain}:
                hosts.setdefault(host, line)
        if go_run is None or not hosts:
            continue
        raw, unknown = go_env_at(chain, per_stage, go_run, dockerfile.escape)
        env = resolve(raw)
        for host in sorted(h for h in hosts if "$" not in h):
            try:
                r = route_host(host, env)
            except GoproxyError as error:
                findings.append(LeakFinding("goproxy-invalid", Severity.WARNING,
                                            f"GOPROXY={env.goproxy!r} is rejected by the go command: {error}",
                                            go_run.line, go_run.end_line, stage.label))
                continue
            checks.append(GoCheck(stage.label, go_run.line, host, env.goprivate, env.gonoproxy, env.gonosumdb,
                                  env.goproxy, env.gosumdb, r.goprivate_match, [a.source for a in r.attempts],
                                  r.checksum_db, sorted(set(unknown))))
            related = sorted({hosts[host]} | {v.line for v in raw.values() if v.line})
            findings += _host_findings(host, hosts[host], r, sorted(set(unknown)), go_run, stage, related)
    return checks, findings


def _host_findings(host: str, auth_line: int, r: Route, unknown: list[str], go_run: Instruction,
                   stage: Stage, related: list[int]) -> list[LeakFinding]:
    """What goes wrong for one host at one go command."""
    def finding(rule: str, severity: Severity, message: str) -> LeakFinding:
        return LeakFinding(rule, severity, message, go_run.line, go_run.end_line, stage.label, related)

    findings = []
    if unknown:
        findings.append(finding(
            "go-env-unknown", Severity.INFO,
            f"{', '.join(unknown)} depend{'s' if len(unknown) == 1 else ''} on build args without a default; "
            f"checked {host} with the other settings"))
    proxies = [a.source for a in r.attempts if a.kind is EntryKind.PROXY]
    if r.gonoproxy_match is None and proxies:
        covered = "is not covered by GOPRIVATE" if r.goprivate_match is None else "matches GOPRIVATE but not GONOPROXY"
        findings.append(finding(
            "private-host-via-proxy", Severity.WARNING,
            f"{host} (credentials at line {auth_line}) {covered}: the go command at this line asks "
            f"{', '.join(proxies)} for its modules first"))
    if r.checksum_db is not None:
        covered = "is not covered by GOPRIVATE" if r.goprivate_match is None else "matches GOPRIVATE but not GONOSUMDB"
        findings.append(finding(
            "private-host-checksum-db", Severity.WARNING,
            f"{host} {covered}: the go command looks its modules up in {r.checksum_db}, which fails "
            f"with 404/410 ('verifying module') and discloses the module paths"))
    if r.attempts and r.attempts[0].kind is EntryKind.OFF:
        findings.append(finding(
            "private-host-lookup-disabled", Severity.WARNING,
            f"{host}: module lookup disabled by GOPROXY=off and GONOPROXY does not match it"))
    return findings
