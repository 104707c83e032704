"""/proc/net/tcp and /proc/net/tcp6 text -> Connections (also used by the live reader).

Addresses are hex words in the kernel's byte order: each 32-bit word is printed as a
host-order integer, so on little-endian machines (x86_64, arm64) 0100007F is 127.0.0.1.
Ports are plain big hex numbers. The `inode` column links a socket to /proc/PID/fd.
"""

from __future__ import annotations

import ipaddress
import re

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.tcp.model import PROC_STATES, Connection, Endpoint, Family, InputFormat, Snapshot, ip_text

_HEADER = re.compile(r"^\s*sl\s+local_address\s+rem(ote)?_address\s+st\b")
_ROW = re.compile(
    r"^\s*\d+:\s+(?P<local>[0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):(?P<lport>[0-9A-Fa-f]{4})"
    r"\s+(?P<remote>[0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):(?P<rport>[0-9A-Fa-f]{4})"
    r"\s+(?P<st>[0-9A-Fa-f]{2})\s+[0-9A-Fa-f]{8}:[0-9A-Fa-f]{8}\s+[0-9A-Fa-f]{2}:[0-9A-Fa-f]{8}"
    r"\s+[0-9A-Fa-f]{8}\s+(?P<uid>\d+)\s+\d+\s+(?P<inode>\d+)(\s.*)?$"
)


def looks_like_proc(line: str) -> bool:
    return bool(_HEADER.match(line) or _ROW.match(line))


def decode_address(word_hex: str) -> tuple[Family, str]:
    """Hex words in host (little-endian) order -> (family, address text)."""
    raw = b"".join(int(word_hex[i:i + 8], 16).to_bytes(4, "little") for i in range(0, len(word_hex), 8))
    if len(raw) == 4:
        return Family.IPV4, str(ipaddress.IPv4Address(raw))
    return Family.IPV6, ip_text(ipaddress.IPv6Address(raw))


def parse_proc_net_tcp(text: str, path: str, fmt: InputFormat = InputFormat.PROC) -> Snapshot:
    """Parse one or more concatenated /proc/net/tcp{,6} tables."""
    connections: list[Connection] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#") or _HEADER.match(raw):
            continue
        match = _ROW.match(raw)
        if not match:
            raise OpsInputError(f"not a /proc/net/tcp row: {raw.strip()[:60]!r}", path=path, line=number)
        state = PROC_STATES.get(int(match["st"], 16))
        if state is None:
            raise OpsInputError(f"unknown TCP state code {match['st']!r}", path=path, line=number)
        family, local_host = decode_address(match["local"])
        remote_family, remote_host = decode_address(match["remote"])
        if remote_family != family:
            raise OpsInputError("local and remote addresses differ in length", path=path, line=number)
        inode = int(match["inode"])
        connections.append(Connection(
            family=family,
            state=state,
            local=Endpoint(local_host, int(match["lport"], 16)),
            remote=Endpoint(remote_host, int(match["rport"], 16)),
            inode=inode or None,
            uid=int(match["uid"]),
            line=number,
        ))
    return Snapshot(source=path, format=fmt, connections=connections)
