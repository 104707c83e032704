"""`goanalyzer ops pids`: the only module of this package that prints or exits."""

from __future__ import annotations

import platform
from pathlib import Path

import click

from goanalyzer.ops.common import EXIT_USAGE, OpsInputError, exit_code_for, fail_input
from goanalyzer.ops.pids.cgroups import read_cgroups
from goanalyzer.ops.pids.estimate import analyse, parse_eviction_threshold, parse_release
from goanalyzer.ops.pids.kubelet import KUBELET_CONFIG, read_pod_pids_limit
from goanalyzer.ops.pids.procfs import read_snapshot
from goanalyzer.ops.pids.render import render_json, render_prometheus, render_text

LIVE_PROC = "/proc"
LIVE_CGROUP = "/sys/fs/cgroup"


def _check_release(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_release(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a kernel release like 5.15.0-91-generic") from None
    return value


def _check_eviction(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_eviction_threshold(value, 100)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a count (500) or a percentage (10%)") from None
    return value


def _cgroup_root(proc: Path, explicit: str | None, live: bool) -> Path | None:
    """Where the cgroup tree is: explicit, the live one, or sys/fs/cgroup beside a fixture proc dir."""
    if explicit is not None:
        return Path(explicit)
    if live:
        return Path(LIVE_CGROUP)
    sibling = proc.parent / "sys" / "fs" / "cgroup"
    return sibling if sibling.is_dir() else None


def _kubelet_config(proc: Path, explicit: str | None, live: bool) -> str | None:
    """The kubelet config to read: explicit, the live one, or var/lib/kubelet beside a fixture proc dir."""
    if explicit is not None:
        return explicit
    if live:
        return KUBELET_CONFIG
    sibling = proc.parent / "var" / "lib" / "kubelet" / "config.yaml"
    return str(sibling) if sibling.exists() else None


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--proc", "proc_dir", type=click.Path(file_okay=False), default=None,
              help="proc root to read (default /proc, the live machine). A fixture tree may keep "
                   "sys/fs/cgroup beside its proc directory.")
@click.option("--cgroup-root", type=click.Path(file_okay=False), default=None,
              help="cgroup mount to read pids.current/pids.max from (default /sys/fs/cgroup when "
                   "reading the live /proc, else PROC/../sys/fs/cgroup if present).")
@click.option("--kernel-release", "release", callback=_check_release, default=None, metavar="R",
              help="Kernel release (uname -r) deciding the unit of nr_kernel_stack: a count of stacks "
                   "before 4.8, kB since. Default: PROC/sys/kernel/osrelease.")
@click.option("--arch", default=None, metavar="ARCH",
              help="Machine (uname -m) for the kernel stack size. Default: PROC/sys/kernel/arch, or this "
                   "machine's when reading the live /proc.")
@click.option("--stack-size", type=click.IntRange(min=1), default=None, metavar="KIB",
              help="Kernel stack size in KiB (THREAD_SIZE); default 16 on x86_64 (8 before 3.15) and arm64.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "prometheus"]), default="text",
              show_default=True, help="text for people, json for scripts, prometheus for the textfile collector.")
@click.option("--warn", type=click.FloatRange(min=0, max=100, min_open=True), default=80.0, show_default=True,
              metavar="PCT", help="Usage percentage (node or any cgroup) that is a warning (exit 1).")
@click.option("--crit", type=click.FloatRange(min=0, max=100, min_open=True), default=90.0, show_default=True,
              metavar="PCT", help="Usage percentage (node or any cgroup) that is critical (exit 3).")
@click.option("--eviction-pid-available", "eviction", callback=_check_eviction, default=None, metavar="Q",
              help="The kubelet's eviction threshold for pid.available (`500` or `10%`); "
                   "pid.available below it is critical.")
@click.option("--top", type=click.IntRange(min=0), default=5, show_default=True,
              help="How many processes, pods and cgroups with the most tasks to list.")
@click.option("--kubelet-config", metavar="FILE", default=None,
              help=f"KubeletConfiguration to read podPidsLimit from (default {KUBELET_CONFIG} when reading the "
                   "live /proc, else PROC/../var/lib/kubelet/config.yaml if present; an absent default is noted, "
                   "not an error).")
def pids(proc_dir: str | None, cgroup_root: str | None, release: str | None, arch: str | None,
         stack_size: int | None, fmt: str, warn: float, crit: float, eviction: str | None, top: int,
         kubelet_config: str | None) -> None:
    """Watch PID usage on a node: count tasks four ways and measure them against the limits.

    \b
    Sources (each estimates the number of tasks = processes + threads):
      loadavg       4th field RUNNABLE/TOTAL of /proc/loadavg (what the kubelet uses)
      proc          /proc/PID/task/TID entries
      kernel_stack  nr_kernel_stack of /proc/vmstat: stacks before Linux 4.8,
                    kB since 4.8, divided by the stack size (16 KiB on x86_64, arm64)
      meminfo       KernelStack kB of /proc/meminfo divided by the stack size
    The estimates are cross-checked (they agree within max(16, 10%)). Usage is the
    loadavg total against min(kernel.pid_max, kernel.threads-max), as the kubelet's
    pid.available; every cgroup with a pids.max is measured against the same thresholds.

    Who uses them: tasks and zombies (state Z in /proc/PID/stat) per pod and per cgroup, with the
    pod UID and container ID taken from each process's cgroup path (cgroup v1 and v2, systemd and
    cgroupfs drivers), and each pod against its pids.max or the kubelet's podPidsLimit.

    \b
    Exit codes:
      0  usage below --warn, sources consistent
      1  usage >= --warn (node or a cgroup), sources disagree, or forks refused by pids.max
      2  usage error, or an unreadable/malformed file (FILE:LINE given)
      3  usage >= --crit, or pid.available below --eviction-pid-available
    """
    if warn > crit:
        click.echo(f"error: --warn {warn:g} is above --crit {crit:g}", err=True)
        raise SystemExit(EXIT_USAGE)
    live = proc_dir is None
    proc = Path(proc_dir or LIVE_PROC)
    try:
        if not proc.is_dir():
            raise OpsInputError("not a directory", path=str(proc))
        snapshot = read_snapshot(proc, top=top)
        if release is None and snapshot.osrelease is not None:
            try:
                parse_release(snapshot.osrelease)
            except ValueError:
                raise OpsInputError(f"not a kernel release: {snapshot.osrelease!r}",
                                    path=str(proc / "sys" / "kernel" / "osrelease"), line=1) from None
        if arch is None and snapshot.arch is None and live:
            arch = platform.machine()
        root = _cgroup_root(proc, cgroup_root, live)
        version, cgroups = read_cgroups(root) if root is not None else (None, [])
        config = _kubelet_config(proc, kubelet_config, live)
        limit = read_pod_pids_limit(config, explicit=kubelet_config is not None) if config else None
    except OpsInputError as error:
        fail_input(error)
        return
    report = analyse(snapshot, cgroups, cgroup_version=version, release=release, arch=arch,
                     stack_kib=stack_size, warn=warn, crit=crit, eviction=eviction, pod_pids_limit=limit, top=top)
    render = {"text": render_text, "json": render_json, "prometheus": render_prometheus}[fmt]
    click.echo(render(report))
    raise SystemExit(exit_code_for([f.severity for f in report.findings]))
