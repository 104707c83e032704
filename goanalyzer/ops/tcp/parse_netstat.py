"""Saved `netstat -anp` / `-tnp` / `-tanpe` output -> Connections.

Only tcp/tcp6 rows are connections here; udp, raw and unix rows are counted as skipped.
The PID/Program column is `PID/name` or `-` when the process was not visible.
"""

from __future__ import annotations

import re

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.tcp.addresses import split_endpoint
from goanalyzer.ops.tcp.model import (
    Connection,
    Family,
    InputFormat,
    Process,
    Snapshot,
    parse_state,
)

_ROW = re.compile(r"^(?P<proto>tcp6?)\s+(?P<recvq>\d+)\s+(?P<sendq>\d+)\s+(?P<local>\S+)\s+(?P<remote>\S+)"
                  r"\s+(?P<state>\S+)(?:\s+(?P<tail>.*?))?\s*$")
_OTHER_PROTO = re.compile(r"^(udp6?|udpl6?|raw6?|unix|sctp6?|ax25|ipx|netrom|x25)\s")
_TIMER = re.compile(r"\s+(off|on|keepalive|timewait|probe|unkn-\d+)\s+\([^)]*\)$")
_PID_PROGRAM = re.compile(r"^(?P<pid>\d+)/(?P<name>.*)$")
_EXTENDED = re.compile(r"^(?P<user>\S+)\s+(?P<inode>\d+)(?:\s+(?P<rest>.*))?$")

# Lines netstat prints around the table (headers, and its stderr when captured with 2>&1).
_NOISE = ("Active ", "Proto ", "(Not all processes", "will not be shown", "(No info could be read",
          "netstat: ")


def looks_like_netstat(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(("Active Internet connections", "Active UNIX domain", "Proto Recv-Q")) or bool(
        _ROW.match(stripped)
    )


def parse_netstat(text: str, path: str) -> Snapshot:
    """Parse netstat output; any tcp row that does not fit is an error naming its line."""
    connections: list[Connection] = []
    skipped = 0
    extended = False
    timer = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("Proto "):
            extended = " Inode" in line
            timer = line.rstrip().endswith("Timer")
            continue
        if line.startswith(_NOISE):
            continue
        if _OTHER_PROTO.match(line):
            skipped += 1
            continue
        match = _ROW.match(line)
        if not match:
            raise OpsInputError(f"not a netstat tcp row: {line[:60]!r}", path=path, line=number)
        connections.append(_connection(match, extended, timer, path, number))
    return Snapshot(source=path, format=InputFormat.NETSTAT, connections=connections, skipped=skipped)


def _connection(match: re.Match[str], extended: bool, timer: bool, path: str, number: int) -> Connection:
    local = split_endpoint(match["local"])
    remote = split_endpoint(match["remote"])
    if local is None:
        raise OpsInputError(f"local address {match['local']!r} has no :port", path=path, line=number)
    if remote is None:
        raise OpsInputError(f"foreign address {match['remote']!r} has no :port", path=path, line=number)
    state = parse_state(match["state"])
    if state is None:
        raise OpsInputError(f"unknown TCP state {match['state']!r}", path=path, line=number)
    tail = match["tail"] or ""
    if timer:
        tail = _TIMER.sub("", " " + tail).strip()
    uid = inode = None
    if extended:
        ext = _EXTENDED.match(tail)
        if not ext:
            raise OpsInputError(f"expected User and Inode columns, got {tail[:40]!r}", path=path, line=number)
        user, inode, tail = ext["user"], int(ext["inode"]), ext["rest"] or ""
        uid = int(user) if user.isdigit() else None
    processes: list[Process] = []
    tail = tail.strip()
    if tail and tail != "-":
        owner = _PID_PROGRAM.match(tail)
        if not owner:
            raise OpsInputError(f"PID/Program name {tail[:40]!r} is not PID/name or -", path=path, line=number)
        processes.append(Process(int(owner["pid"]), owner["name"].strip() or None))
    return Connection(
        family=Family.IPV6 if match["proto"] == "tcp6" else Family.IPV4,
        state=state,
        local=local,
        remote=remote,
        processes=processes,
        inode=inode or None,
        uid=uid,
        line=number,
    )
