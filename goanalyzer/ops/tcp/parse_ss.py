"""Saved `ss -tanp` (also -tulpen, -tanpe, with or without the Netid column) -> Connections.

ss abbreviates states (ESTAB, TIME-WAIT, UNCONN for a closed TCP socket) and lists every
process sharing a socket as users:(("name",pid=N,fd=N),...).
"""

from __future__ import annotations

import re

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.tcp.addresses import split_endpoint
from goanalyzer.ops.tcp.model import (
    Connection,
    InputFormat,
    Process,
    Snapshot,
    TcpState,
    family_of,
    parse_state,
)

NETIDS = {"tcp", "udp", "raw", "u_str", "u_dgr", "u_seq", "p_raw", "p_dgr", "nl", "mptcp", "sctp", "tipc",
          "v_str", "v_dgr", "xdp", "dccp", "???"}
_SS_STATES = {"ESTAB", "LISTEN", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN",
              "CLOSE-WAIT", "LAST-ACK", "CLOSING", "CLOSED", "NEW-SYN-RECV", "BOUND"}
_USER = re.compile(r'\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=(\d+)\)')
_INODE = re.compile(r"(?:^|\s)ino:(\d+)")
_UID = re.compile(r"(?:^|\s)uid:(\d+)")


def looks_like_ss(line: str) -> bool:
    tokens = line.split()
    if not tokens:
        return False
    if tokens[0] in ("Netid", "State") and "Recv-Q" in tokens:
        return True
    if tokens[0] == "Recv-Q" and "Local" in tokens:
        return True
    first = tokens[1] if tokens[0] in NETIDS and len(tokens) > 1 else tokens[0]
    return first in _SS_STATES


def parse_ss(text: str, path: str) -> Snapshot:
    """Parse ss output; non-TCP rows are skipped, a TCP row that does not fit is an error."""
    connections: list[Connection] = []
    skipped = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw[0].isspace():  # -i/-m detail lines belong to the row above
            continue
        tokens = raw.split()
        if tokens[0] in ("Netid", "State"):
            continue
        if tokens[0] == "Recv-Q":
            raise OpsInputError(
                "ss output without a State column (ss was given a state filter); save `ss -tanp` instead",
                path=path, line=number,
            )
        netid = None
        if tokens[0] in NETIDS:
            netid = tokens.pop(0)
            if netid != "tcp":
                skipped += 1
                continue
        lead = 6 if netid else 5
        parts = raw.split(None, lead)
        tail = parts[lead] if len(parts) > lead else ""
        connections.append(_connection(tail, tokens, path, number))
    return Snapshot(source=path, format=InputFormat.SS, connections=connections, skipped=skipped)


def _connection(tail: str, tokens: list[str], path: str, number: int) -> Connection:
    if len(tokens) < 5:
        raise OpsInputError(f"ss row has {len(tokens)} columns, expected State Recv-Q Send-Q Local Peer",
                            path=path, line=number)
    state_text, recvq, sendq, local_text, remote_text = tokens[:5]
    state = TcpState.CLOSE if state_text == "UNCONN" else parse_state(state_text)
    if state is None:
        raise OpsInputError(f"unknown TCP state {state_text!r}", path=path, line=number)
    if not (recvq.isdigit() and sendq.isdigit()):
        raise OpsInputError(f"Recv-Q/Send-Q {recvq!r} {sendq!r} are not numbers", path=path, line=number)
    local = split_endpoint(local_text)
    remote = split_endpoint(remote_text)
    if local is None:
        raise OpsInputError(f"local address {local_text!r} has no :port", path=path, line=number)
    if remote is None:
        raise OpsInputError(f"peer address {remote_text!r} has no :port", path=path, line=number)
    processes = [Process(int(pid), name.replace('\\"', '"'), int(fd)) for name, pid, fd in _USER.findall(tail)]
    inode = _INODE.search(tail)
    uid = _UID.search(tail)
    family = family_of(local.host if local.host != "*" else remote.host)
    return Connection(
        family=family,
        state=state,
        local=local,
        remote=remote,
        processes=sorted(set(processes), key=lambda p: (p.pid, p.fd or 0)),
        inode=int(inode.group(1)) if inode and int(inode.group(1)) else None,
        uid=int(uid.group(1)) if uid else None,
        line=number,
    )
