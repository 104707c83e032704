"""CLI: `goanalyzer ops dockerfile lint`.

Exit codes (see goanalyzer.ops.common): 0 nothing found, 1 warnings, 2 usage error or
unreadable/malformed input (file:line given), 3 critical findings.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import click

from goanalyzer.ops.common import OpsInputError, dumps, exit_code_for, fail_input
from goanalyzer.ops.dockerfile.lint import analyse
from goanalyzer.ops.dockerfile.parser import load_dockerfile
from goanalyzer.ops.dockerfile.render import render_lint
from goanalyzer.ops.dockerfile.sarif import to_sarif
from goanalyzer.ops.inputs import printable

EXIT_CODES = """
\b
Exit codes:
  0  nothing worth alerting on
  1  warnings
  2  usage error, or input that cannot be read or parsed (file:line given)
  3  critical findings: a credential is hard-coded or the final image carries it
"""


def _version() -> str:
    try:
        return metadata.version("goanalyzer")
    except metadata.PackageNotFoundError:
        return "0.0.0"


@click.group()
def dockerfile() -> None:
    """Credentials that leak through a Dockerfile, and GOPRIVATE for the hosts they unlock."""


@dockerfile.command("lint", epilog=EXIT_CODES)
@click.argument("path", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--target", default=None, help="The stage that is built (docker build --target); default: the last.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="Output: text, JSON, or SARIF 2.1.0 for code-scanning UIs.")
def lint(path: Path, target: str | None, fmt: str) -> None:
    """Parse the Dockerfile PATH ('-': standard input; escape directive, continuations, heredocs,
    JSON/shell forms, multi-stage FROM ... AS, ARG scopes) and find credentials passed through ARG
    or ENV: by name, and by use (written to a .netrc, embedded as user:pass@ in a URL, git config
    insteadOf, curl -u or an Authorization header, echoed to the build log). Each is traced from its
    declaration to the instructions that use it, with where it is exposed (image history of the
    stage, image config, a layer, build provenance) and whether the final stage carries it.
    Secret mounts ($(cat /run/secrets/...)), GitHub's x-oauth-basic filler and placeholder defaults
    (nothing, changeme, <token>) are not credentials. Proposes the BuildKit rewrite
    (RUN --mount=type=secret,id=netrc,...) with the matching `docker build --secret` command for
    every host, and checks GOPRIVATE/GOPROXY for the private hosts. Secrets are printed as ****
    in every format.
    """
    try:
        parsed, warning = load_dockerfile(str(path))
        try:
            report = analyse(parsed, target)
        except KeyError:
            raise OpsInputError(f"no stage named {target!r} (stages: {', '.join(s.label for s in parsed.stages)})",
                                path=parsed.path) from None
    except OpsInputError as error:
        fail_input(error)
    if warning:
        click.echo(f"warning: {warning}", err=True)
    if fmt == "sarif":
        text = dumps(to_sarif(report, _version()))
    else:
        text = dumps(report) if fmt == "json" else render_lint(report)
    click.echo(printable(text))
    raise SystemExit(exit_code_for([f.severity for f in report.findings]))


__all__ = ["dockerfile"]
