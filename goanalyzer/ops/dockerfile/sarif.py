"""SARIF 2.1.0 output of `dockerfile lint`, the format code-scanning UIs (GitHub, GitLab,
Azure DevOps) import: one run, the rules used, one result per finding with its location.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from goanalyzer.ops.common import Severity
from goanalyzer.ops.dockerfile.model import LintReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "goanalyzer-dockerfile-lint"

RULES: dict[str, tuple[str, str, str]] = {
    # id: (short description, full description / help, security-severity)
    "hardcoded-credential": (
        "Credential written literally in the Dockerfile",
        "A password or token is written in the Dockerfile itself; it is in the repository and in every "
        "image built from it. Remove it, rotate it, and pass it as a BuildKit secret.", "9.0"),
    "credential-build-arg": (
        "Credential passed as a build argument",
        "Build-arg values are recorded in the image history of the stage (RUN |N NAME=value) and in "
        "mode=max provenance attestations. Use RUN --mount=type=secret and docker build --secret.", "7.5"),
    "credential-env": (
        "Credential stored in ENV",
        "ENV values persist in the image config and in every container's environment. "
        "Use a secret mount for the RUN that needs the value.", "8.0"),
    "credential-file-in-layer": (
        "Credential file left in an image layer",
        "A .netrc or .gitconfig with credentials is written by a RUN and stays in that layer, even if "
        "a later instruction deletes it. Mount it with RUN --mount=type=secret instead.", "8.0"),
    "arg-out-of-scope": (
        "Build argument used outside its scope",
        "An ARG declared before FROM is visible only in FROM lines; repeat ARG NAME inside the stage. "
        "As written the variable expands to an empty string.", "3.0"),
    "unused-credential": (
        "Credential build argument never used",
        "The ARG is declared but no instruction uses it; remove it.", "2.0"),
    "private-host-via-proxy": (
        "Private module host not in GONOPROXY",
        "The go command asks the public module proxy for modules of a host the build authenticates to. "
        "Add the host to GOPRIVATE (or GONOPROXY).", "5.0"),
    "private-host-checksum-db": (
        "Private module host not in GONOSUMDB",
        "The go command looks private modules up in the public checksum database, which fails with "
        "404/410 and discloses the module paths. Add the host to GOPRIVATE (or GONOSUMDB).", "5.0"),
    "private-host-lookup-disabled": (
        "Private module host unreachable with GOPROXY=off",
        "GOPROXY=off disables module lookup for paths GONOPROXY does not match.", "2.0"),
    "goproxy-invalid": (
        "GOPROXY rejected by the go command",
        "The GOPROXY list contains an entry the go command refuses; every module fetch fails.", "2.0"),
    "go-env-unknown": (
        "Go settings depend on build arguments",
        "GOPRIVATE/GOPROXY values come from build args without defaults; checked with the rest.", "1.0"),
    "secret-in-build-log": (
        "Secret printed to the build log",
        "An echo, printf or cat prints a credential (or a BuildKit secret file) to the build output, which "
        "CI job logs keep and show. Do not print secrets; pipe them into the command that needs them.", "6.0"),
    "use-secret-mount": (
        "Use a BuildKit secret mount",
        "Replace credential build args with RUN --mount=type=secret,id=netrc,target=$HOME/.netrc and "
        "docker build --secret id=netrc,src=<file>.", "1.0"),
}

LEVELS = {Severity.CRITICAL: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    return PurePath(path).as_posix()


def _location(uri: str, line: int, end_line: int) -> dict[str, Any]:
    return {"physicalLocation": {
        "artifactLocation": {"uri": uri},
        "region": {"startLine": line, "endLine": max(line, end_line)},
    }}


def to_sarif(report: LintReport, version: str) -> dict[str, Any]:
    """The SARIF log for one lint report."""
    used = sorted({f.rule for f in report.findings})
    index = {rule: i for i, rule in enumerate(used)}
    rules = []
    for rule in used:
        short, full, security = RULES[rule]
        rules.append({
            "id": rule,
            "name": "".join(part.capitalize() for part in rule.split("-")),
            "shortDescription": {"text": short},
            "fullDescription": {"text": full},
            "help": {"text": full},
            "defaultConfiguration": {"level": "note" if float(security) < 4 else "warning" if float(security) < 7
                                     else "error"},
            "properties": {"tags": ["security", "docker", "go-modules"], "security-severity": security},
        })
    uri = _uri(report.path)
    results = []
    for finding in report.findings:
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [_location(uri, finding.line, finding.end_line)],
            "partialFingerprints": {"goanalyzerFinding/v1": f"{finding.rule}:{finding.stage}:{finding.line}"},
            "properties": {"stage": finding.stage},
        }
        if finding.related_lines:
            result["relatedLocations"] = [
                {"id": i + 1, **_location(uri, line, line), "message": {"text": f"related: line {line}"}}
                for i, line in enumerate(finding.related_lines)
            ]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME,
                "version": version,
                "rules": rules,
            }},
            "artifacts": [{"location": {"uri": uri}}],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
