"""Commands that close exactly the selected connections, and running the ss -K part.

`ss -K` asks the kernel (SOCK_DESTROY) to abort a socket: the owner gets ECONNABORTED and
the peer a RST. It needs CAP_NET_ADMIN and a kernel built with CONFIG_INET_DIAG_DESTROY;
without that, ss silently closes nothing and still exits 0, so success is only known from
a fresh snapshot. tcpkill, the note's tool, forges RSTs from sniffed traffic instead.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass, field
from typing import Callable

from goanalyzer.ops.tcp.model import (
    SS_FILTER_STATES,
    Connection,
    Endpoint,
    Family,
    Snapshot,
    TcpState,
    ip_or_none,
)

SS_CAVEATS = [
    "ss -K needs root (CAP_NET_ADMIN) and a kernel built with CONFIG_INET_DIAG_DESTROY; "
    "without it ss closes nothing and still exits 0, so check with a fresh snapshot (--execute does).",
    "The owning process gets ECONNABORTED on its next call on the socket; the peer receives a RST.",
]
TCPKILL_CAVEATS = [
    "tcpkill only acts on traffic: it forges RSTs from the sequence numbers of a packet it sniffs, "
    "so an idle connection is not reset until one side sends something.",
    "tcpkill keeps running after the reset and resets every new connection its filter matches; "
    "stop it (Ctrl-C) once the connection is gone.",
    "tcpkill needs root and libpcap, handles IPv4 only, and sniffs the default interface unless given -i IFACE.",
]


@dataclass(slots=True)
class PlannedClose:
    """One connection and the commands that close it."""

    connection: Connection
    ss_argv: list[str] | None
    ss_command: str | None
    tcpkill_command: str | None
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class KillPlan:
    source: str
    live: bool
    filters: dict[str, object]
    closes: list[PlannedClose]
    caveats: list[str]


@dataclass(slots=True)
class CloseOutcome:
    """What happened to one planned close: ss's answer and what the fresh snapshot showed."""

    connection: Connection
    ss_command: str | None
    ss_returncode: int
    ss_error: str
    closed: bool
    still_state: str | None = None


@dataclass(slots=True)
class ExecutionReport:
    outcomes: list[CloseOutcome]

    @property
    def all_closed(self) -> bool:
        return all(outcome.closed for outcome in self.outcomes)


def _ss_address(endpoint: Endpoint) -> str:
    host = endpoint.host.split("%", 1)[0]
    return f"[{host}]:{endpoint.port}" if ":" in host else f"{host}:{endpoint.port}"


def ss_argv(connection: Connection) -> tuple[list[str] | None, list[str]]:
    """`ss -K` for exactly this socket (4-tuple and state), and notes on any imprecision;
    None when no filter narrower than "every socket in this state" can be written."""
    notes: list[str] = []
    if connection.local.port is None or connection.remote.port is None:
        notes.append("no ss command: a port was printed as an unknown service name; save the output with -n")
        return None, notes
    numeric = connection.local.is_ip and (connection.remote.is_ip or connection.remote.port == 0)
    family = ["-4" if connection.family is Family.IPV4 else "-6"] if numeric else []
    argv = ["ss", "-K", *family, "-t", "-n", "state", SS_FILTER_STATES[connection.state]]
    if numeric:
        argv += ["src", _ss_address(connection.local)]
        if connection.remote.port:
            argv += ["and", "dst", _ss_address(connection.remote)]
    else:
        notes.append("an address is not numeric (a host name, or * for any): the ss filter uses ports only")
        argv += ["sport", "=", f":{connection.local.port}"]
        if connection.remote.port:
            argv += ["and", "dport", "=", f":{connection.remote.port}"]
    return argv, notes


def tcpkill_command(connection: Connection) -> tuple[str | None, list[str]]:
    """The tcpkill invocation matching both directions of this connection, or why there is none."""
    if connection.state is TcpState.LISTEN:
        return None, ["tcpkill cannot close a listening socket: it resets connections, not listeners"]
    if connection.family is Family.IPV6 and not connection.local.host.startswith("::ffff:"):
        return None, ["tcpkill handles IPv4 only"]
    if connection.local.port is None or connection.remote.port is None:
        return None, []
    local_host = connection.local.host.removeprefix("::ffff:")
    remote_host = connection.remote.host.removeprefix("::ffff:")
    lp, rp = connection.local.port, connection.remote.port
    expression = (f"tcp and ((src host {local_host} and src port {lp} and dst host {remote_host} and "
                  f"dst port {rp}) or (src host {remote_host} and src port {rp} and dst host {local_host} and "
                  f"dst port {lp}))")
    ip = ip_or_none(local_host)
    argv = ["tcpkill"] + (["-i", "lo"] if ip is not None and ip.is_loopback else []) + ["-9", expression]
    return shlex.join(argv), []


def build_plan(snapshot: Snapshot, targets: list[Connection], filters: dict[str, object], live: bool) -> KillPlan:
    closes = []
    for connection in targets:
        argv, notes = ss_argv(connection)
        tcpkill, tcpkill_notes = tcpkill_command(connection)
        if connection.state is TcpState.LISTEN:
            notes.append("closing a listening socket stops the service accepting new connections")
        if connection.state is TcpState.TIME_WAIT:
            notes.append("no process holds a TIME-WAIT socket; it expires by itself (60 s on Linux) "
                         "and some kernels refuse to destroy it")
        command = shlex.join(argv) if argv else None
        closes.append(PlannedClose(connection, argv, command, tcpkill, notes + tcpkill_notes))
    caveats = list(SS_CAVEATS) + list(TCPKILL_CAVEATS)
    if not live:
        caveats.insert(0, f"planned from a saved snapshot ({snapshot.source}); the connections may have "
                          "changed since: run without INPUT on the machine itself before acting")
    return KillPlan(source=snapshot.source, live=live, filters=filters, closes=closes, caveats=caveats)


def _same_socket(target: Connection, candidate: Connection) -> bool:
    if (candidate.family, candidate.local, candidate.remote) != (target.family, target.local, target.remote):
        return False
    if target.inode:
        return candidate.inode == target.inode
    return candidate.state == target.state


def execute_plan(
    plan: KillPlan,
    ss_path: str,
    fresh_snapshot: Callable[[], Snapshot],
    run: Callable[..., subprocess.CompletedProcess] = subprocess.run,
) -> ExecutionReport:
    """Run every ss -K of the plan, then decide from a fresh snapshot which sockets are gone."""
    answers = []
    for close in plan.closes:
        if close.ss_argv is None:
            answers.append((-1, "no precise ss filter for this connection; nothing was run"))
            continue
        try:
            result = run([ss_path] + close.ss_argv[1:], capture_output=True, text=True, check=False)
            answers.append((result.returncode, (result.stderr or "").strip()))
        except OSError as error:
            answers.append((126, f"cannot run {ss_path}: {error.strerror or error}"))
    after = fresh_snapshot().connections
    outcomes = []
    for close, (returncode, error_text) in zip(plan.closes, answers):
        survivor = next((c for c in after if _same_socket(close.connection, c)), None)
        outcomes.append(CloseOutcome(
            connection=close.connection,
            ss_command=close.ss_command,
            ss_returncode=returncode,
            ss_error=error_text,
            closed=survivor is None,
            still_state=survivor.state.value if survivor else None,
        ))
    return ExecutionReport(outcomes)
