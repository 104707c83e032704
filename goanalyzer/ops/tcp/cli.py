"""`goanalyzer ops tcp ...`: find the TCP connections holding a port and close them."""

from __future__ import annotations

import shutil
from typing import Callable

import click

from goanalyzer.ops.common import (
    EXIT_CRITICAL,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_WARNING,
    OpsInputError,
    dumps,
    fail_input,
    format_option,
)
from goanalyzer.ops.tcp import render
from goanalyzer.ops.tcp.detect import load_snapshot, read_text
from goanalyzer.ops.tcp.ephemeral import check_ports, read_settings
from goanalyzer.ops.tcp.filters import ConnectionFilter, select
from goanalyzer.ops.tcp.killplan import build_plan, execute_plan
from goanalyzer.ops.tcp.live import read_live
from goanalyzer.ops.tcp.model import Snapshot, TcpState, parse_state
from goanalyzer.ops.tcp.tcpkill import idle_sessions, parse_tcpkill

_PORT = click.IntRange(1, 65535)


def _states(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[TcpState, ...]:
    states = []
    for value in values:
        state = parse_state(value)
        if state is None:
            raise click.BadParameter(
                f"unknown TCP state {value!r} (use e.g. ESTABLISHED, ESTAB, LISTEN, TIME-WAIT, CLOSE-WAIT)"
            )
        states.append(state)
    return tuple(dict.fromkeys(states))


def _filter_options(command: Callable) -> Callable:
    """The options `find` and `kill-plan` share: which connections, from where."""
    decorators = [
        click.argument("input_path", metavar="[INPUT]", required=False),
        click.option("--port", type=_PORT, help="Local OR remote port equals N (exact number)."),
        click.option("--local-port", type=_PORT, help="Local port equals N."),
        click.option("--remote-port", type=_PORT, help="Remote (peer) port equals N."),
        click.option("--state", "states", multiple=True, callback=_states,
                     help="TCP state, any spelling (ESTABLISHED, ESTAB, TIME-WAIT...); repeat for several."),
        click.option("--pid", type=click.IntRange(min=0), help="Owned by process P."),
        click.option("--process", "process_name", metavar="NAME",
                     help="Owned by a process named NAME (exact; the kernel's 15-character cut of a longer name and "
                          "netstat's 'NAME: title' form match too)."),
        click.option("--proc", "proc_root", default="/proc", show_default=True,
                     help="The proc tree read without INPUT (e.g. /host/proc in a debug container)."),
        format_option,
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _snapshot(input_path: str | None, proc_root: str) -> Snapshot:
    return load_snapshot(input_path) if input_path else read_live(proc_root)


@click.group()
def tcp() -> None:
    """Find the TCP connections holding a port, and close them.

    INPUT is a saved `netstat -anp`/`netstat -tnp`, `ss -tanp` or /proc/net/tcp(6) text
    (the format is detected); without INPUT the live machine is read from /proc/net/tcp{,6},
    with owners found through /proc/PID/fd socket inodes (root sees every process).

    `port-check` tells whether a service port lies in the ephemeral port range without being
    reserved (the root cause: a client connection took the port) and prints the sysctl to fix it.

    \b
    Exit codes (details in each command's --help):
      0  nothing matched / everything closed / no port at risk
      1  connections matched, a plan to act on, a tcpkill run that reset nothing, or a port at risk
      2  usage error, or input unreadable or malformed (file:line given)
      3  kill-plan --execute left connections open
    """


@tcp.command("find")
@_filter_options
def find_command(input_path, port, local_port, remote_port, states, pid, process_name, proc_root, fmt) -> None:
    """List the TCP connections matching every given filter, with state and owning process.

    INPUT is saved netstat -anp/-tnp, ss -tanp or /proc/net/tcp(6) text (detected); without
    it the live machine is read (--proc). Ports and PIDs match exactly: --port 4080 matches neither 14080 nor PID 4080.

    \b
    Exit codes:
      0  no connection matched
      1  connections matched (something holds the port)
      2  usage error, or INPUT unreadable or malformed (file:line given)
    """
    criteria = ConnectionFilter(port, local_port, remote_port, states, pid, process_name)
    try:
        snapshot = _snapshot(input_path, proc_root)
    except OpsInputError as error:
        fail_input(error)
    matches = select(snapshot.connections, criteria)
    if fmt == "json":
        click.echo(dumps(render.find_json(snapshot, matches, criteria.describe())))
    else:
        click.echo(render.find_text(snapshot, matches))
    raise SystemExit(EXIT_WARNING if matches else EXIT_OK)


@tcp.command("kill-plan")
@_filter_options
@click.option("--execute", is_flag=True,
              help="Run the ss -K commands on this machine (live only, after confirmation), "
                   "then verify with a fresh snapshot.")
@click.option("--yes", "-y", "assume_yes", is_flag=True, help="With --execute: do not ask for confirmation.")
def kill_plan_command(input_path, port, local_port, remote_port, states, pid, process_name, proc_root, fmt, execute,
                      assume_yes) -> None:
    """Print the commands that close exactly the matching connections: `ss -K` with a filter on
    the 4-tuple and state (needs root and a kernel with INET_DIAG_DESTROY), and the tcpkill
    equivalent with its caveats (it only acts on traffic and keeps running).

    At least one filter is required. With --execute (live machine only) the ss -K plan is
    run after confirmation (--yes skips it) and a fresh snapshot shows what was closed.

    \b
    Exit codes:
      0  nothing matched, or --execute closed every matching connection
      1  a plan was printed (connections to close), or --execute was declined
      2  usage error, or INPUT unreadable or malformed (file:line given)
      3  --execute left connections open (ss missing, not permitted, or kernel refused)
    """
    criteria = ConnectionFilter(port, local_port, remote_port, states, pid, process_name)
    if criteria.is_empty():
        click.echo("error: kill-plan needs at least one filter (--port, --local-port, --remote-port, --state, "
                   "--pid or --process)", err=True)
        raise SystemExit(EXIT_USAGE)
    if execute and input_path:
        click.echo("error: --execute acts on the live machine only; drop INPUT", err=True)
        raise SystemExit(EXIT_USAGE)
    try:
        snapshot = _snapshot(input_path, proc_root)
    except OpsInputError as error:
        fail_input(error)
    plan = build_plan(snapshot, select(snapshot.connections, criteria), criteria.describe(), live=not input_path)
    if not execute:
        click.echo(dumps(render.plan_json(plan)) if fmt == "json" else render.plan_text(plan))
        raise SystemExit(EXIT_WARNING if plan.closes else EXIT_OK)
    _execute(plan, proc_root, fmt, assume_yes)


def _execute(plan, proc_root: str, fmt: str, assume_yes: bool) -> None:
    if fmt == "text":
        click.echo(render.plan_text(plan))
    if not plan.closes:
        if fmt == "json":
            click.echo(dumps({"plan": render.plan_json(plan), "executed": []}))
        raise SystemExit(EXIT_OK)
    ss_path = shutil.which("ss")
    if ss_path is None:
        click.echo("error: ss not found on PATH (install iproute2); nothing was closed", err=True)
        raise SystemExit(EXIT_CRITICAL)
    if not assume_yes and not click.confirm(f"Close {len(plan.closes)} connection(s) with ss -K?", default=False,
                                            err=True):
        click.echo("aborted: nothing was closed", err=True)
        raise SystemExit(EXIT_WARNING)
    try:
        report = execute_plan(plan, ss_path, lambda: read_live(proc_root))
    except OpsInputError as error:
        fail_input(error)
    if fmt == "json":
        click.echo(dumps({"plan": render.plan_json(plan), "executed": render.execution_json(report)}))
    else:
        click.echo("")
        click.echo(render.execution_text(report))
    raise SystemExit(EXIT_OK if report.all_closed else EXIT_CRITICAL)


@tcp.command("port-check")
@click.argument("input_path", metavar="[INPUT]", required=False)
@click.option("--port", "ports", type=_PORT, multiple=True,
              help="A service port to check (repeatable). Default: every listening port of INPUT or the live machine.")
@click.option("--proc", "proc_root", default="/proc", show_default=True,
              help="The proc tree: sysctls from PROC/sys/net/ipv4, live sockets from PROC/net (e.g. /host/proc).")
@click.option("--port-range", metavar="LOW-HIGH",
              help="net.ipv4.ip_local_port_range of the machine INPUT came from (instead of PROC/sys).")
@click.option("--reserved-ports", metavar="LIST",
              help="net.ipv4.ip_local_reserved_ports of that machine, e.g. 4080,8000-8080 (instead of PROC/sys).")
@format_option
def port_check_command(input_path, ports, proc_root, port_range, reserved_ports, fmt) -> None:
    """The root cause in the note, as a check: is a service port inside the ephemeral range
    (net.ipv4.ip_local_port_range) and not reserved (net.ipv4.ip_local_reserved_ports)? Then any
    outgoing connection may take it as its local port (kubelet took 4080) and the service cannot
    bind. Shows what holds such a port now and prints the sysctl that reserves every port at risk,
    keeping the ports already reserved (sysctl -w replaces the whole list).

    \b
    Exit codes:
      0  no checked port is at risk
      1  a port is inside the ephemeral range and not reserved
      2  usage error, or INPUT / a sysctl file unreadable or malformed (file:line given)
    """
    try:
        settings = read_settings(proc_root, port_range=port_range, reserved=reserved_ports)
        snapshot = _snapshot(input_path, proc_root)
    except OpsInputError as error:
        fail_input(error)
    report = check_ports(settings, snapshot, tuple(ports))
    click.echo(dumps(render.port_check_json(report, snapshot)) if fmt == "json" else render.port_check_text(report, snapshot))
    raise SystemExit(EXIT_WARNING if report.at_risk else EXIT_OK)


@tcp.command("parse-tcpkill")
@click.argument("path", metavar="FILE")
@format_option
def parse_tcpkill_command(path: str, fmt: str) -> None:
    """Read saved tcpkill output (`tcpkill ... 2>&1 | tee FILE`) into reset records: per run its
    interface and filter, and per direction of each connection the RSTs sent and their
    sequence numbers. Other lines in FILE are skipped.

    \b
    Exit codes:
      0  every tcpkill run sent resets
      1  a run reset nothing (it saw no traffic: idle connections are not reset)
      2  FILE unreadable, malformed reset line, or no tcpkill output (file:line given)
    """
    try:
        report = parse_tcpkill(read_text(path), path)
    except OpsInputError as error:
        fail_input(error)
    click.echo(dumps(render.tcpkill_json(report)) if fmt == "json" else render.tcpkill_text(report))
    raise SystemExit(EXIT_WARNING if idle_sessions(report) else EXIT_OK)
