"""`dockerfile lint`'s analysis: trace the credentials, say where each ends up, check GOPRIVATE for
the hosts the build authenticates to, and propose the secret-mount rewrite."""

from __future__ import annotations

from goanalyzer.ops.dockerfile.exposure import expose, file_findings, final_stage
from goanalyzer.ops.dockerfile.gocheck import go_checks
from goanalyzer.ops.dockerfile.model import LintReport
from goanalyzer.ops.dockerfile.parser import Dockerfile
from goanalyzer.ops.dockerfile.rewrite import rewrites
from goanalyzer.ops.dockerfile.trace import trace


def analyse(dockerfile: Dockerfile, target: str | None = None) -> LintReport:
    """Find, trace and classify the credentials of a parsed Dockerfile; KeyError for an unknown target."""
    final = final_stage(dockerfile, target)
    state = trace(dockerfile)
    credentials = state.credentials()
    findings = list(state.findings)
    for cred in credentials:
        findings += expose(dockerfile, cred, state.per_stage, final)
    findings += file_findings(dockerfile, state.file_writes, final)
    checks, check_findings = go_checks(dockerfile, state.per_stage, state.hosts)
    proposed, rewrite_findings = rewrites(dockerfile, credentials, state.per_stage, state.auths)
    findings += check_findings + rewrite_findings
    findings.sort(key=lambda f: (f.line, f.rule, f.message))
    return LintReport(dockerfile.path, final.stage.label, [s.label for s in dockerfile.stages], credentials,
                      findings, proposed, checks)
