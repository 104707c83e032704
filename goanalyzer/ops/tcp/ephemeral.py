"""The notes' root cause as a check: a service port inside the ephemeral port range.

The kernel picks the local port of outgoing connections from net.ipv4.ip_local_port_range, skipping
only net.ipv4.ip_local_reserved_ports. A service port inside that range and not reserved can be taken
by any client (kubelet's connection took 4080 in the note), and the service then fails to bind. The
fix is to reserve it; `sysctl -w` replaces the whole list, so the proposed value keeps what is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.inputs import read_input
from goanalyzer.ops.tcp.model import Connection, Snapshot, TcpState

RANGE_KEY = "net.ipv4.ip_local_port_range"
RESERVED_KEY = "net.ipv4.ip_local_reserved_ports"
SYSCTL_CONF = "/etc/sysctl.d/90-reserved-ports.conf"


@dataclass(frozen=True, slots=True)
class PortSettings:
    """The kernel's ephemeral range and reserved ports, and where they were read."""

    low: int
    high: int
    reserved: tuple[tuple[int, int], ...]
    source: str

    def in_range(self, port: int) -> bool:
        return self.low <= port <= self.high

    def is_reserved(self, port: int) -> bool:
        return any(start <= port <= end for start, end in self.reserved)


@dataclass(slots=True)
class PortCheck:
    """One service port judged against the settings."""

    port: int
    origin: str
    """'--port' or 'listen PID/NAME' (a listener of the snapshot)."""
    in_range: bool
    reserved: bool
    held_by: list[Connection] = field(default_factory=list)
    """Connections (not listeners) that use the port as their local port right now."""

    @property
    def at_risk(self) -> bool:
        return self.in_range and not self.reserved


@dataclass(slots=True)
class PortReport:
    settings: PortSettings
    checks: list[PortCheck]
    reserved_value: str | None = None
    """The full ip_local_reserved_ports value that adds every port at risk (None: nothing to add)."""
    fix: list[str] = field(default_factory=list)

    @property
    def at_risk(self) -> list[PortCheck]:
        return [c for c in self.checks if c.at_risk]


def parse_range(text: str, path: str) -> tuple[int, int]:
    """`32768\\t60999` (the /proc/sys form) or `32768-60999`."""
    parts = text.replace("-", " ").split()
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise OpsInputError(f"expected two port numbers (e.g. '32768 60999'), got {text.strip()!r}", path=path, line=1)
    low, high = int(parts[0]), int(parts[1])
    if not 0 < low <= high <= 65535:
        raise OpsInputError(f"port range {low}-{high} is not within 1-65535 with low <= high", path=path, line=1)
    return low, high


def parse_port_list(text: str, path: str) -> tuple[tuple[int, int], ...]:
    """`4080,8000-8080` (the ip_local_reserved_ports form) as sorted, merged ranges."""
    ranges = []
    for item in text.strip().split(","):
        item = item.strip()
        if not item:
            continue
        start, _, end = item.partition("-")
        if not start.isdigit() or (end and not end.isdigit()):
            raise OpsInputError(f"{item!r} is not a port or a port range (e.g. 4080 or 8000-8080)", path=path, line=1)
        first, last = int(start), int(end or start)
        if not 0 < first <= last <= 65535:
            raise OpsInputError(f"{item!r} is not within 1-65535", path=path, line=1)
        ranges.append((first, last))
    return merge(ranges)


def merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def format_port_list(ranges: tuple[tuple[int, int], ...]) -> str:
    return ",".join(str(s) if s == e else f"{s}-{e}" for s, e in ranges)


def read_settings(proc_root: str, *, port_range: str | None = None, reserved: str | None = None) -> PortSettings:
    """The settings from PROC/sys/net/ipv4 (each overridable, e.g. with values from another machine)."""
    base = Path(proc_root) / "sys" / "net" / "ipv4"
    sources = []
    if port_range is None:
        path = str(base / "ip_local_port_range")
        low, high = parse_range(read_input(path).text, path)
        sources.append(path)
    else:
        low, high = parse_range(port_range, "--port-range")
    if reserved is None:
        path = str(base / "ip_local_reserved_ports")
        try:
            reserved_ranges = parse_port_list(read_input(path).text, path)
            sources.append(path)
        except OpsInputError as error:
            if error.message != "no such file":
                raise
            reserved_ranges = ()  # kernels before 2.6.35 have no reserved ports
    else:
        reserved_ranges = parse_port_list(reserved, "--reserved-ports")
    return PortSettings(low, high, reserved_ranges, ", ".join(sources) or "options")


def _listeners(snapshot: Snapshot) -> dict[int, str]:
    out: dict[int, str] = {}
    for c in sorted(snapshot.connections, key=Connection.sort_key):
        if c.state is TcpState.LISTEN and c.local.port:
            owner = ",".join(str(p) for p in c.processes) or "-"
            out.setdefault(c.local.port, f"listen {owner}")
    return out


def check_ports(settings: PortSettings, snapshot: Snapshot, ports: tuple[int, ...]) -> PortReport:
    """Judge the given ports, or (none given) every listening port of the snapshot."""
    listening = _listeners(snapshot)
    origins = {port: "--port" for port in ports} if ports else listening
    checks = []
    for port in sorted(origins):
        # With a listener, connections on its port are the ones it accepted; without, a client took it.
        held = [] if port in listening else [c for c in snapshot.connections if c.local.port == port]
        checks.append(PortCheck(port, origins[port], settings.in_range(port), settings.is_reserved(port),
                                sorted(held, key=Connection.sort_key)))
    report = PortReport(settings, checks)
    risky = [c.port for c in report.at_risk]
    if risky:
        value = format_port_list(merge(list(settings.reserved) + [(p, p) for p in risky]))
        report.reserved_value = value
        report.fix = [
            f"sysctl -w {RESERVED_KEY}={value}",
            f"echo '{RESERVED_KEY} = {value}' > {SYSCTL_CONF}   # keep it across reboots",
        ]
        held_ports = [c.port for c in report.at_risk if c.held_by]
        for port in held_ports:
            report.fix.append(f"goanalyzer ops tcp kill-plan --local-port {port}   # reserving does not free a port already taken")
    return report
