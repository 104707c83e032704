"""The connection model every reader produces and every command consumes.

Readers (netstat, ss, /proc) differ in spelling; here states, addresses and
owning processes get one canonical form so filters and plans work on any source.
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass, field


class TcpState(str, enum.Enum):
    """Kernel TCP states, named as /proc and netstat name them (ss abbreviates them)."""

    ESTABLISHED = "ESTABLISHED"
    SYN_SENT = "SYN_SENT"
    SYN_RECV = "SYN_RECV"
    FIN_WAIT1 = "FIN_WAIT1"
    FIN_WAIT2 = "FIN_WAIT2"
    TIME_WAIT = "TIME_WAIT"
    CLOSE = "CLOSE"
    CLOSE_WAIT = "CLOSE_WAIT"
    LAST_ACK = "LAST_ACK"
    LISTEN = "LISTEN"
    CLOSING = "CLOSING"
    NEW_SYN_RECV = "NEW_SYN_RECV"


class Family(str, enum.Enum):
    IPV4 = "ipv4"
    IPV6 = "ipv6"


class InputFormat(str, enum.Enum):
    """Where a snapshot came from: a saved command output, or the live kernel tables."""

    NETSTAT = "netstat"
    SS = "ss"
    PROC = "proc"
    LIVE = "live"


# Every spelling the tools print (and users type), mapped to the kernel name.
_STATE_ALIASES = {
    "ESTAB": TcpState.ESTABLISHED,
    "SYN-SENT": TcpState.SYN_SENT,
    "SYN-RECV": TcpState.SYN_RECV,
    "SYN_RCVD": TcpState.SYN_RECV,
    "FIN-WAIT-1": TcpState.FIN_WAIT1,
    "FIN_WAIT_1": TcpState.FIN_WAIT1,
    "FIN-WAIT-2": TcpState.FIN_WAIT2,
    "FIN_WAIT_2": TcpState.FIN_WAIT2,
    "TIME-WAIT": TcpState.TIME_WAIT,
    "CLOSED": TcpState.CLOSE,
    "CLOSE-WAIT": TcpState.CLOSE_WAIT,
    "LAST-ACK": TcpState.LAST_ACK,
    "LISTENING": TcpState.LISTEN,
}

# /proc/net/tcp "st" column (include/net/tcp_states.h).
PROC_STATES = {
    0x01: TcpState.ESTABLISHED,
    0x02: TcpState.SYN_SENT,
    0x03: TcpState.SYN_RECV,
    0x04: TcpState.FIN_WAIT1,
    0x05: TcpState.FIN_WAIT2,
    0x06: TcpState.TIME_WAIT,
    0x07: TcpState.CLOSE,
    0x08: TcpState.CLOSE_WAIT,
    0x09: TcpState.LAST_ACK,
    0x0A: TcpState.LISTEN,
    0x0B: TcpState.CLOSING,
    0x0C: TcpState.NEW_SYN_RECV,
}

# The names ss accepts after `state` in a filter.
SS_FILTER_STATES = {
    TcpState.ESTABLISHED: "established",
    TcpState.SYN_SENT: "syn-sent",
    TcpState.SYN_RECV: "syn-recv",
    TcpState.FIN_WAIT1: "fin-wait-1",
    TcpState.FIN_WAIT2: "fin-wait-2",
    TcpState.TIME_WAIT: "time-wait",
    TcpState.CLOSE: "closed",
    TcpState.CLOSE_WAIT: "close-wait",
    TcpState.LAST_ACK: "last-ack",
    TcpState.LISTEN: "listening",
    TcpState.CLOSING: "closing",
    TcpState.NEW_SYN_RECV: "syn-recv",
}


def parse_state(text: str) -> TcpState | None:
    """Any spelling of a TCP state (ESTAB, time-wait, FIN_WAIT1, listening...) or None."""
    key = text.strip().upper()
    if key in TcpState.__members__:
        return TcpState[key]
    if key in _STATE_ALIASES:
        return _STATE_ALIASES[key]
    return _STATE_ALIASES.get(key.replace("_", "-"))


@dataclass(slots=True, frozen=True)
class Endpoint:
    """One end of a socket. port 0 is the wildcard (`*`); port None means the tool printed
    a service name it could not map (netstat without -n), kept in `service`."""

    host: str
    port: int | None
    service: str | None = None

    @property
    def is_ip(self) -> bool:
        return ip_or_none(self.host) is not None

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port is None:
            return f"{host}:{self.service}"
        return f"{host}:{self.port if self.port else '*'}"


@dataclass(slots=True, frozen=True)
class Process:
    """A process holding the socket; name may be truncated (netstat: 15 chars, ss: comm)."""

    pid: int
    name: str | None = None
    fd: int | None = None

    def __str__(self) -> str:
        return f"{self.pid}/{self.name}" if self.name else str(self.pid)


@dataclass(slots=True)
class Connection:
    """One TCP socket as a snapshot saw it; `line` is where it was read (None when live)."""

    family: Family
    state: TcpState
    local: Endpoint
    remote: Endpoint
    processes: list[Process] = field(default_factory=list)
    inode: int | None = None
    uid: int | None = None
    line: int | None = None

    def sort_key(self) -> tuple:
        return (
            self.local.port if self.local.port is not None else -1,
            _host_key(self.local.host),
            self.remote.port if self.remote.port is not None else -1,
            _host_key(self.remote.host),
            self.state.value,
            self.inode or 0,
            tuple(p.pid for p in self.processes),
        )


@dataclass(slots=True)
class Snapshot:
    """The connections read from one source, with what was skipped and anything worth saying."""

    source: str
    format: InputFormat
    connections: list[Connection]
    skipped: int = 0
    notes: list[str] = field(default_factory=list)


def ip_or_none(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def _host_key(host: str) -> tuple:
    ip = ip_or_none(host)
    if ip is None:
        return (2, host)
    return (ip.version, ip.packed.hex(), host)


def ip_text(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Compressed form, with IPv4-mapped IPv6 kept readable (::ffff:10.0.0.1) on every Python."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return f"::ffff:{ip.ipv4_mapped}"
    return ip.compressed


def normalise_host(host: str) -> str:
    """Compressed form of an IP (keeping a %scope); names and `*` unchanged."""
    base, sep, scope = host.partition("%")
    ip = ip_or_none(base)
    if ip is None:
        return host
    return f"{ip_text(ip)}{sep}{scope}"


def family_of(host: str, default: Family = Family.IPV4) -> Family:
    ip = ip_or_none(host)
    if ip is None:
        return default
    return Family.IPV6 if ip.version == 6 else Family.IPV4
