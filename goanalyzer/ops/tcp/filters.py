"""Which connections a command acts on. Ports and PIDs are compared as integers, never as
text, so port 4080 matches neither port 14080 nor PID 4080."""

from __future__ import annotations

from dataclasses import dataclass, field

from goanalyzer.ops.tcp.model import Connection, TcpState


@dataclass(slots=True, frozen=True)
class ConnectionFilter:
    """All given criteria must hold; `port` is either end, `states` any of them."""

    port: int | None = None
    local_port: int | None = None
    remote_port: int | None = None
    states: tuple[TcpState, ...] = field(default_factory=tuple)
    pid: int | None = None
    process: str | None = None
    """A process name: as the kernel keeps it (comm, cut to 15 characters) or as netstat shows it
    (`nginx: master` matches nginx)."""

    def matches(self, connection: Connection) -> bool:
        if self.port is not None and self.port not in (connection.local.port, connection.remote.port):
            return False
        if self.local_port is not None and connection.local.port != self.local_port:
            return False
        if self.remote_port is not None and connection.remote.port != self.remote_port:
            return False
        if self.states and connection.state not in self.states:
            return False
        if self.pid is not None and all(process.pid != self.pid for process in connection.processes):
            return False
        if self.process is not None and not any(name_matches(p.name, self.process) for p in connection.processes):
            return False
        return True

    def is_empty(self) -> bool:
        return not (self.port or self.local_port or self.remote_port or self.states or self.pid is not None or self.process)

    def describe(self) -> dict[str, object]:
        """The criteria that were given, for reports."""
        given = {
            "port": self.port,
            "local_port": self.local_port,
            "remote_port": self.remote_port,
            "state": [state.value for state in self.states] or None,
            "pid": self.pid,
            "process": self.process,
        }
        return {key: value for key, value in given.items() if value is not None}


COMM_LENGTH = 15
"""The kernel keeps 15 characters of a process name (TASK_COMM_LEN 16 with the NUL)."""


def name_matches(name: str | None, wanted: str) -> bool:
    """Exact name, the kernel's 15-character cut of a longer one, or netstat's `name: title` form."""
    if not name:
        return False
    if name == wanted or name == wanted[:COMM_LENGTH]:
        return True
    return ":" in name and name.split(":", 1)[0] == wanted


def select(connections: list[Connection], criteria: ConnectionFilter) -> list[Connection]:
    """The matching connections in a stable order."""
    return sorted((c for c in connections if criteria.matches(c)), key=Connection.sort_key)
