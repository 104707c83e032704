"""CLI: `goanalyzer ops netrc check`.

Exit codes (see goanalyzer.ops.common): 0 nothing found, 1 warnings, 2 usage error or
unreadable/malformed input (the file named).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from goanalyzer.ops.common import OpsInputError, dumps, exit_code_for, fail_input, format_option
from goanalyzer.ops.inputs import printable
from goanalyzer.ops.netrc.reader import check_netrc
from goanalyzer.ops.netrc.render import render_netrc

EXIT_CODES = """
\b
Exit codes:
  0  nothing worth alerting on
  1  warnings (permissions, entries the go command drops or never uses)
  2  usage error, or a file that cannot be read or is no .netrc (the file named)
"""


@click.group()
def netrc() -> None:
    """.netrc files as the go command reads them."""


def _default_netrc() -> Path:
    if os.environ.get("NETRC"):
        return Path(os.environ["NETRC"])
    return Path.home() / ".netrc"


@netrc.command("check", epilog=EXIT_CODES)
@click.argument("path", required=False, type=click.Path(allow_dash=True, path_type=Path))
@format_option
def check(path: Path | None, fmt: str) -> None:
    """List the entries the go command uses from a .netrc (default: $NETRC, else ~/.netrc; '-':
    standard input), with passwords masked; warn on permissions wider than 0600, entries Go
    silently drops (keyword and value on different lines, missing login or password), duplicate
    machines (the first wins), lines after `default`, and unexpanded ${VARIABLES}. A file with
    NUL bytes or without any machine/default/macdef keyword is no .netrc (exit 2).
    """
    try:
        report = check_netrc(str(path or _default_netrc()))
    except OpsInputError as error:
        fail_input(error)
    click.echo(printable(dumps(report) if fmt == "json" else render_netrc(report)))
    raise SystemExit(exit_code_for([f.severity for f in report.findings]))


__all__ = ["netrc"]
