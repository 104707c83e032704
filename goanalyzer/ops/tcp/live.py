"""The live machine: /proc/net/tcp{,6} joined with /proc/PID/fd socket inodes to find owners.

/proc/net/tcp shows the sockets of the reader's network namespace; owners are found by
reading every /proc/PID/fd link `socket:[INODE]`, which needs root for other users' processes.
"""

from __future__ import annotations

import os
from pathlib import Path

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.tcp.model import Connection, InputFormat, Process, Snapshot
from goanalyzer.ops.tcp.parse_proc import parse_proc_net_tcp


def socket_owners(proc: Path) -> tuple[dict[int, list[Process]], int]:
    """inode -> processes holding it, and how many processes' fd tables could not be read."""
    owners: dict[int, list[Process]] = {}
    unreadable = 0
    try:
        entries = [entry for entry in os.listdir(proc) if entry.isdigit()]
    except OSError as error:
        raise OpsInputError(f"cannot list: {error.strerror or error}", path=str(proc)) from error
    for pid_text in entries:
        fd_dir = proc / pid_text / "fd"
        try:
            fds = os.listdir(fd_dir)
        except PermissionError:
            unreadable += 1
            continue
        except OSError:  # the process exited while we looked
            continue
        name: str | None = None
        for fd_text in fds:
            try:
                target = os.readlink(fd_dir / fd_text)
            except OSError:
                continue
            if not (target.startswith("socket:[") and target.endswith("]")):
                continue
            if name is None:
                name = _comm(proc / pid_text)
            inode = int(target[len("socket:["):-1])
            fd = int(fd_text) if fd_text.isdigit() else None
            owners.setdefault(inode, []).append(Process(int(pid_text), name, fd))
    return owners, unreadable


def _comm(pid_dir: Path) -> str:
    try:
        return (pid_dir / "comm").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def read_live(proc_root: str = "/proc") -> Snapshot:
    """A fresh snapshot of every TCP socket in this network namespace, with owners where visible."""
    proc = Path(proc_root)
    connections: list[Connection] = []
    for name in ("tcp", "tcp6"):
        table = proc / "net" / name
        try:
            text = table.read_text(encoding="utf-8")
        except FileNotFoundError:
            if name == "tcp6":  # IPv6 disabled
                continue
            raise OpsInputError("cannot read: no such file (is this a Linux /proc?)", path=str(table)) from None
        except OSError as error:
            raise OpsInputError(f"cannot read: {error.strerror or error}", path=str(table)) from error
        for connection in parse_proc_net_tcp(text, str(table), InputFormat.LIVE).connections:
            connection.line = None
            connections.append(connection)
    owners, unreadable = socket_owners(proc)
    unowned = 0
    for connection in connections:
        if connection.inode:
            connection.processes = sorted(owners.get(connection.inode, []), key=lambda p: (p.pid, p.fd or 0))
            unowned += not connection.processes
    notes = []
    if unowned:
        hint = f"; {unreadable} process fd table(s) were not readable (run as root)" if unreadable else ""
        notes.append(f"{unowned} socket(s) have no visible owner (another user's or another PID "
                     f"namespace's process){hint}")
    return Snapshot(source=f"live:{proc_root}", format=InputFormat.LIVE, connections=connections, notes=notes)
