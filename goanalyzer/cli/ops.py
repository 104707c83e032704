"""`goanalyzer ops ...`: the on-call tools. Exit codes are documented in goanalyzer.ops.common."""

from __future__ import annotations

import click

from goanalyzer.cli.lazy import LazyGroup

OPS_TOOLS = {
    "certs": "goanalyzer.ops.certs.cli:certs",
    "coredns": "goanalyzer.ops.coredns.cli:coredns",
    "goproxy": "goanalyzer.ops.goproxy.cli:goproxy",
    "dockerfile": "goanalyzer.ops.dockerfile.cli:dockerfile",
    "netrc": "goanalyzer.ops.netrc.cli:netrc",
    "tcp": "goanalyzer.ops.tcp.cli:tcp",
    "csi": "goanalyzer.ops.csi.cli:csi",
    "pids": "goanalyzer.ops.pids.cli:pids",
}


@click.group(cls=LazyGroup, lazy_subcommands=OPS_TOOLS)
def ops() -> None:
    """On-call tools from the engineering notes (certificates, CoreDNS, Go private modules,
    TCP connections, Tencent Cloud CSI, PID exhaustion).

    \b
    Exit codes of every ops command:
      0  nothing worth alerting on
      1  findings at warning level
      2  usage error, or input that cannot be read or parsed (file:line given)
      3  critical findings
    """
