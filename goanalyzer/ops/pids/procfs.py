"""Readers for the /proc files that say how many tasks exist and how many may exist.

Each reader takes the proc root (normally /proc, or a fixture tree) and returns plain values;
malformed content raises OpsInputError naming the file and line. A missing optional file
gives None, so a partial tree (or a locked-down container) still yields what it can.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from goanalyzer.ops.common import OpsInputError


@dataclass(slots=True)
class LoadAvg:
    """/proc/loadavg: the 4th field is runnable/total tasks (total = the kernel's nr_threads)."""

    runnable: int
    total: int
    last_pid: int


@dataclass(slots=True)
class ProcessThreads:
    """One process and how many tasks (threads) it has under /proc/PID/task."""

    pid: int
    comm: str
    threads: int
    state: str | None = None
    """The state letter of /proc/PID/stat (Z: a zombie, kept until its parent reaps it)."""
    ppid: int | None = None
    cgroup: str | None = None
    """The process's cgroup from /proc/PID/cgroup (the pids hierarchy, else the unified one)."""


@dataclass(slots=True)
class TaskCount:
    """Tasks counted by walking /proc: processes (thread groups) and all threads."""

    processes: int
    threads: int
    top: list[ProcessThreads] = field(default_factory=list)
    zombies: int | None = None
    """Processes in state Z; None when no /proc/PID/stat could be read."""
    every: list[ProcessThreads] = field(default_factory=list, repr=False)
    """Every process counted (for the per-cgroup lists)."""


@dataclass(slots=True)
class ProcSnapshot:
    """Everything read from one proc tree. None means the file was absent."""

    proc: str
    vmstat: dict[str, int] | None
    meminfo_kib: dict[str, int] | None
    loadavg: LoadAvg | None
    pid_max: int | None
    threads_max: int | None
    osrelease: str | None
    arch: str | None
    tasks: TaskCount | None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    except OSError as error:
        raise OpsInputError(f"cannot read: {error.strerror}", path=str(path)) from None


def read_vmstat(proc: Path) -> dict[str, int] | None:
    """/proc/vmstat as name -> value; every line is `name value`."""
    path = proc / "vmstat"
    text = _read_text(path)
    if text is None:
        return None
    values: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            raise OpsInputError(f"expected `name value`, got {line.strip()!r}", path=str(path), line=number)
        try:
            values[parts[0]] = int(parts[1])
        except ValueError:
            raise OpsInputError(f"value of {parts[0]} is not an integer: {parts[1]!r}",
                                path=str(path), line=number) from None
    return values


def read_meminfo(proc: Path) -> dict[str, int] | None:
    """/proc/meminfo as name -> kB (lines `Name:   value kB`; unit-less lines are counts)."""
    path = proc / "meminfo"
    text = _read_text(path)
    if text is None:
        return None
    values: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, rest = line.partition(":")
        parts = rest.split()
        if not sep or not parts or len(parts) > 2 or (len(parts) == 2 and parts[1] != "kB"):
            raise OpsInputError(f"expected `Name: value [kB]`, got {line.strip()!r}", path=str(path), line=number)
        try:
            values[name.strip()] = int(parts[0])
        except ValueError:
            raise OpsInputError(f"value of {name.strip()} is not an integer: {parts[0]!r}",
                                path=str(path), line=number) from None
    return values


def parse_loadavg(text: str, path: str) -> LoadAvg:
    """`0.21 0.37 0.39 1/719 19737`: three load averages, runnable/total, last PID."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != 1:
        raise OpsInputError(f"expected one line, got {len(lines)}", path=path, line=1 if not lines else 2)
    fields = lines[0].split()
    if len(fields) != 5:
        raise OpsInputError(f"expected 5 fields, got {len(fields)}", path=path, line=1)
    runnable, slash, total = fields[3].partition("/")
    try:
        for value in fields[:3]:
            float(value)
        if not slash:
            raise ValueError
        return LoadAvg(runnable=int(runnable), total=int(total), last_pid=int(fields[4]))
    except ValueError:
        raise OpsInputError(f"expected `L1 L5 L15 RUNNABLE/TOTAL LASTPID`, got {lines[0].strip()!r}",
                            path=path, line=1) from None


def read_loadavg(proc: Path) -> LoadAvg | None:
    path = proc / "loadavg"
    text = _read_text(path)
    return None if text is None else parse_loadavg(text, str(path))


def read_int(path: Path) -> int | None:
    """A sysctl file holding one integer (a trailing newline is optional)."""
    text = _read_text(path)
    if text is None:
        return None
    lines = text.splitlines()
    if len(lines) != 1:
        raise OpsInputError(f"expected one line with an integer, got {len(lines)} lines", path=str(path),
                            line=1 if not lines else 2)
    try:
        return int(lines[0].strip())
    except ValueError:
        raise OpsInputError(f"expected an integer, got {lines[0].strip()!r}", path=str(path), line=1) from None


def read_word(path: Path) -> str | None:
    """A one-word file such as kernel/osrelease or kernel/arch."""
    text = _read_text(path)
    if text is None:
        return None
    value = text.strip()
    return value or None


def count_tasks(proc: Path, top: int = 5) -> TaskCount | None:
    """Count /proc/PID directories and their task/TID entries.

    Processes may exit while we walk; those vanish from the count instead of failing.
    Inside a PID namespace this sees only that namespace's tasks.
    """
    try:
        entries = list(os.scandir(proc))
    except FileNotFoundError:
        return None
    processes = 0
    threads = 0
    per_process: list[ProcessThreads] = []
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            tids = [name for name in os.listdir(os.path.join(entry.path, "task")) if name.isdigit()]
        except (FileNotFoundError, NotADirectoryError, ProcessLookupError, PermissionError):
            continue
        if not tids:
            continue
        processes += 1
        threads += len(tids)
        here = Path(entry.path)
        comm = read_word(here / "comm")
        state, ppid = _state(here / "stat")
        per_process.append(ProcessThreads(pid=int(entry.name), comm=comm or "?", threads=len(tids),
                                          state=state, ppid=ppid, cgroup=_cgroup(here / "cgroup")))
    if processes == 0:
        return None
    per_process.sort(key=lambda p: (-p.threads, p.pid))
    states = [p.state for p in per_process if p.state is not None]
    zombies = sum(1 for state in states if state == "Z") if states else None
    return TaskCount(processes=processes, threads=threads, top=per_process[:top], zombies=zombies, every=per_process)


def _optional(path: Path) -> str | None:
    """A per-process file that may vanish or be hidden while we walk: None then, never an error."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _state(path: Path) -> tuple[str | None, int | None]:
    """State letter and parent PID from /proc/PID/stat: the fields after the command name (which may hold `)`)."""
    text = _optional(path)
    if text is None or ")" not in text:
        return None, None
    rest = text.rsplit(")", 1)[1].split()
    state = rest[0] if rest else None
    ppid = int(rest[1]) if len(rest) > 1 and rest[1].isdigit() else None
    return state, ppid


def _cgroup(path: Path) -> str | None:
    """/proc/PID/cgroup lines are `ID:CONTROLLERS:PATH`; the pids controller's path wins (cgroup v1),
    else the unified hierarchy's (`0::PATH`, cgroup v2), else systemd's named hierarchy."""
    text = _optional(path)
    if text is None:
        return None
    found: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, cgroup_path = parts
        for controller in controllers.split(",") if controllers else [""]:
            found.setdefault(controller, cgroup_path)
    for key in ("pids", "", "name=systemd"):
        if key in found:
            return found[key]
    return None


def read_snapshot(proc: Path, top: int = 5) -> ProcSnapshot:
    """Read every source once. Raises OpsInputError if nothing at all could be read."""
    snapshot = ProcSnapshot(
        proc=str(proc),
        vmstat=read_vmstat(proc),
        meminfo_kib=read_meminfo(proc),
        loadavg=read_loadavg(proc),
        pid_max=read_int(proc / "sys" / "kernel" / "pid_max"),
        threads_max=read_int(proc / "sys" / "kernel" / "threads-max"),
        osrelease=read_word(proc / "sys" / "kernel" / "osrelease"),
        arch=read_word(proc / "sys" / "kernel" / "arch"),
        tasks=count_tasks(proc, top=top),
    )
    if snapshot.vmstat is None and snapshot.loadavg is None and snapshot.tasks is None:
        raise OpsInputError("no vmstat, loadavg or PID directories: not a proc tree", path=str(proc))
    return snapshot
