"""Turn each source into a task count, cross-check them, and measure usage against the limits.

Sources of "how many tasks exist":
  loadavg       4th field total = the kernel's nr_threads (what the kubelet uses for pid.available)
  proc          /proc/PID/task/TID entries (only the caller's PID namespace)
  kernel_stack  vmstat nr_kernel_stack: a count of stacks before Linux 4.8, kB since 4.8
                (commit "mm: track NR_KERNEL_STACK in KiB instead of number of stacks"),
                so since 4.8 divide by the stack size (THREAD_SIZE) to get tasks
  meminfo       KernelStack kB (kB on every kernel) divided by the stack size
Stacks also exist for the idle task of every secondary CPU, and a zombie keeps its PID after
its stack is freed, so the sources agree only within a tolerance.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from goanalyzer.ops.common import Severity
from goanalyzer.ops.pids.cgroups import CgroupPids
from goanalyzer.ops.pids.kubelet import PodPidsLimit
from goanalyzer.ops.pids.procfs import ProcessThreads, ProcSnapshot
from goanalyzer.ops.pids.workloads import TaskGroup, group_tasks

KERNEL_STACK_KIB_SINCE = (4, 8)

# THREAD_SIZE in KiB by `uname -m`; x86_64 doubled from 8 to 16 KiB in Linux 3.15. KASAN builds
# use larger stacks: pass --stack-size for those.
_STACK_KIB = {
    "x86_64": 16, "amd64": 16, "aarch64": 16, "arm64": 16, "s390x": 16, "ppc64le": 16, "ppc64": 16,
    "riscv64": 16, "i386": 8, "i486": 8, "i586": 8, "i686": 8, "armv6l": 8, "armv7l": 8, "arm": 8,
}

# Two task counts agree when within max(ABS, PCT% of the larger): the slack covers idle tasks of
# secondary CPUs, zombies and tasks born or reaped between the reads.
AGREE_ABS = 16
AGREE_PCT = 10.0


class StackUnit(str, enum.Enum):
    """What nr_kernel_stack counts on this kernel."""

    KIB = "kB"
    STACKS = "stacks"
    UNKNOWN = "unknown"


@dataclass(slots=True)
class KernelStack:
    raw: int | None
    unit: StackUnit
    stack_kib: int | None
    release: str | None
    arch: str | None


@dataclass(slots=True)
class Limits:
    """System-wide task limits; `effective` = min(pid_max, threads-max), as the kubelet computes it."""

    pid_max: int | None
    threads_max: int | None
    effective: int | None


@dataclass(slots=True)
class Estimate:
    source: str
    tasks: int
    exact: float
    detail: str


@dataclass(slots=True)
class Comparison:
    source: str
    tasks: int
    reference: str
    reference_tasks: int
    difference: int
    agrees: bool


@dataclass(slots=True)
class Usage:
    used: int
    basis: str
    limit: int
    percent: float
    pid_available: int


@dataclass(slots=True)
class CgroupUsage:
    cgroup: str
    current: int
    limit: int | None
    percent: float | None
    refused: int | None


@dataclass(slots=True)
class Finding:
    severity: Severity
    code: str
    message: str


@dataclass(slots=True)
class PidsReport:
    proc: str
    kernel_stack: KernelStack
    limits: Limits
    estimates: list[Estimate]
    comparisons: list[Comparison]
    consistent: bool | None
    usage: Usage | None
    warn_percent: float
    crit_percent: float
    eviction_pid_available: int | None
    cgroup_version: str | None
    cgroups: list[CgroupUsage]
    top_processes: list[ProcessThreads]
    findings: list[Finding] = field(default_factory=list)
    zombies: int | None = None
    """Processes in state Z (None: /proc/PID/stat not readable)."""
    pod_pids_limit: PodPidsLimit | None = None
    top_pods: list[TaskGroup] = field(default_factory=list)
    top_cgroups: list[TaskGroup] = field(default_factory=list)


def parse_release(release: str) -> tuple[int, int]:
    """`4.4.0-154-generic` -> (4, 4). Raises ValueError for anything else."""
    match = re.match(r"^(\d+)\.(\d+)(?:[.\-+_~].*)?$", release.strip())
    if not match:
        raise ValueError(f"not a kernel release: {release!r}")
    return int(match.group(1)), int(match.group(2))


def stack_unit(release: str | None) -> StackUnit:
    if not release:
        return StackUnit.UNKNOWN
    return StackUnit.KIB if parse_release(release) >= KERNEL_STACK_KIB_SINCE else StackUnit.STACKS


def stack_kib_for(arch: str | None, release: str | None) -> int | None:
    """THREAD_SIZE in KiB for an architecture, or None when not known."""
    if not arch:
        return None
    kib = _STACK_KIB.get(arch)
    if kib == 16 and arch in ("x86_64", "amd64") and release and parse_release(release) < (3, 15):
        return 8
    return kib


def parse_eviction_threshold(value: str, limit: int | None) -> int | None:
    """A kubelet eviction threshold for pid.available: `500` or `10%` (of the effective limit)."""
    text = value.strip()
    if text.endswith("%"):
        percent = float(text[:-1])
        if not 0 < percent <= 100:
            raise ValueError(f"percentage out of range: {value!r}")
        return None if limit is None else int(limit * percent / 100)
    number = int(text)
    if number < 0:
        raise ValueError(f"negative threshold: {value!r}")
    return number


def agrees(a: int, b: int) -> bool:
    return abs(a - b) <= max(AGREE_ABS, AGREE_PCT / 100 * max(a, b))


def _estimates(snapshot: ProcSnapshot, stack: KernelStack) -> list[Estimate]:
    result: list[Estimate] = []
    if snapshot.loadavg is not None:
        total = snapshot.loadavg.total
        result.append(Estimate("loadavg", total, float(total), "4th field of loadavg (kernel nr_threads)"))
    if snapshot.tasks is not None:
        t = snapshot.tasks
        result.append(Estimate("proc", t.threads, float(t.threads),
                               f"{t.threads} threads in {t.processes} processes under {snapshot.proc}"))
    if stack.raw is not None:
        if stack.unit is StackUnit.STACKS:
            result.append(Estimate("kernel_stack", stack.raw, float(stack.raw),
                                   f"nr_kernel_stack {stack.raw} stacks (kernel < 4.8 counts stacks)"))
        elif stack.unit is StackUnit.KIB and stack.stack_kib:
            exact = stack.raw / stack.stack_kib
            result.append(Estimate("kernel_stack", round(exact), exact,
                                   f"nr_kernel_stack {stack.raw} kB / {stack.stack_kib} KiB per stack"))
    kernel_stack_kib = (snapshot.meminfo_kib or {}).get("KernelStack")
    if kernel_stack_kib is not None and stack.stack_kib:
        exact = kernel_stack_kib / stack.stack_kib
        result.append(Estimate("meminfo", round(exact), exact,
                               f"KernelStack {kernel_stack_kib} kB / {stack.stack_kib} KiB per stack"))
    return result


def _compare(estimates: list[Estimate]) -> list[Comparison]:
    if len(estimates) < 2:
        return []
    reference = estimates[0]
    return [Comparison(e.source, e.tasks, reference.source, reference.tasks, e.tasks - reference.tasks,
                       agrees(e.tasks, reference.tasks)) for e in estimates[1:]]


def _usage(snapshot: ProcSnapshot, limits: Limits, estimates: list[Estimate]) -> Usage | None:
    if limits.effective is None or limits.effective <= 0 or not estimates:
        return None
    basis = estimates[0]  # loadavg first: what the kubelet reports as in use
    return Usage(used=basis.tasks, basis=basis.source, limit=limits.effective,
                 percent=round(100.0 * basis.tasks / limits.effective, 2),
                 pid_available=limits.effective - basis.tasks)


def _level(percent: float, warn: float, crit: float) -> Severity | None:
    if percent >= crit:
        return Severity.CRITICAL
    if percent >= warn:
        return Severity.WARNING
    return None


def analyse(snapshot: ProcSnapshot, cgroups: list[CgroupPids], *, cgroup_version: str | None,
            release: str | None, arch: str | None, stack_kib: int | None,
            warn: float, crit: float, eviction: str | None = None,
            pod_pids_limit: PodPidsLimit | None = None, top: int = 5) -> PidsReport:
    """The whole report: estimates, cross-check, node and cgroup usage, findings."""
    findings: list[Finding] = []
    release = release or snapshot.osrelease
    arch = arch or snapshot.arch
    unit = stack_unit(release)
    kib = stack_kib or stack_kib_for(arch, release)
    raw = (snapshot.vmstat or {}).get("nr_kernel_stack")
    stack = KernelStack(raw=raw, unit=unit, stack_kib=kib, release=release, arch=arch)
    if raw is not None and unit is StackUnit.UNKNOWN:
        findings.append(Finding(Severity.INFO, "release-unknown",
                                "nr_kernel_stack not used: kernel release unknown (stack count before 4.8, "
                                "kB since); pass --kernel-release"))
    if unit is StackUnit.KIB and raw is not None and not kib:
        findings.append(Finding(Severity.INFO, "stack-size-unknown",
                                f"nr_kernel_stack not used: stack size of architecture {arch or 'unknown'} "
                                "not known; pass --stack-size"))

    present = [v for v in (snapshot.pid_max, snapshot.threads_max) if v is not None]
    limits = Limits(snapshot.pid_max, snapshot.threads_max, min(present) if present else None)
    estimates = _estimates(snapshot, stack)
    comparisons = _compare(estimates)
    consistent = None if not comparisons else all(c.agrees for c in comparisons)
    for c in comparisons:
        if c.agrees:
            continue
        message = (f"{c.source} estimate {c.tasks} disagrees with {c.reference} {c.reference_tasks} "
                   f"(difference {c.difference:+d})")
        if c.source == "kernel_stack" and kib and raw is not None:
            other = raw if unit is StackUnit.KIB else round(raw / kib)
            other_unit = "a count of stacks" if unit is StackUnit.KIB else "kB"
            if agrees(other, c.reference_tasks):
                message += f"; it matches only if nr_kernel_stack is {other_unit}: check --kernel-release"
        elif c.source == "proc":
            message += "; a /proc inside a PID namespace (container) shows only that namespace's tasks"
        findings.append(Finding(Severity.WARNING, "sources-disagree", message))

    usage = _usage(snapshot, limits, estimates)
    if usage is None:
        findings.append(Finding(Severity.WARNING, "usage-unknown",
                                "node usage unknown: need pid_max or threads-max and a task count"))
    else:
        level = _level(100.0 * usage.used / usage.limit, warn, crit)
        if level is not None:
            bound = crit if level is Severity.CRITICAL else warn
            flag = "--crit" if level is Severity.CRITICAL else "--warn"
            findings.append(Finding(level, "node-usage",
                                    f"{usage.used} tasks of {usage.limit} allowed ({usage.percent:.2f}%) "
                                    f">= {flag} {bound:g}%"))

    threshold = None
    if eviction is not None:
        threshold = parse_eviction_threshold(eviction, limits.effective)
        if usage is not None and threshold is not None and usage.pid_available < threshold:
            findings.append(Finding(Severity.CRITICAL, "pid-pressure",
                                    f"kubelet pid.available {usage.pid_available} < eviction threshold "
                                    f"{threshold} ({eviction}): node reports PIDPressure and evicts pods"))

    usages: list[CgroupUsage] = []
    for cg in cgroups:
        exact = None if not cg.limit else 100.0 * cg.current / cg.limit
        percent = None if exact is None else round(exact, 2)
        usages.append(CgroupUsage(cg.cgroup, cg.current, cg.limit, percent, cg.refused))
        if exact is not None:
            level = _level(exact, warn, crit)
            if level is not None:
                bound = crit if level is Severity.CRITICAL else warn
                flag = "--crit" if level is Severity.CRITICAL else "--warn"
                findings.append(Finding(level, "cgroup-usage",
                                        f"cgroup {cg.cgroup}: pids.current {cg.current} of pids.max {cg.limit} "
                                        f"({percent:.2f}%) >= {flag} {bound:g}%"))
        if cg.refused:
            findings.append(Finding(Severity.WARNING, "cgroup-refused",
                                    f"cgroup {cg.cgroup}: pids.max refused {cg.refused} fork/clone calls "
                                    "(pids.events max)"))

    processes = snapshot.tasks.every if snapshot.tasks else []
    pods, groups = group_tasks(processes, cgroups, pod_pids_limit.value if pod_pids_limit else None)
    findings += _workload_findings(processes, pods, pod_pids_limit, warn, crit)
    order = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
    findings.sort(key=lambda f: (order[f.severity], f.code, f.message))
    return PidsReport(
        proc=snapshot.proc, kernel_stack=stack, limits=limits, estimates=estimates, comparisons=comparisons,
        consistent=consistent, usage=usage, warn_percent=warn, crit_percent=crit,
        eviction_pid_available=threshold, cgroup_version=cgroup_version, cgroups=usages,
        top_processes=list(snapshot.tasks.top) if snapshot.tasks else [], findings=findings,
        zombies=snapshot.tasks.zombies if snapshot.tasks else None, pod_pids_limit=pod_pids_limit,
        top_pods=pods[:top], top_cgroups=groups[:top],
    )


def _workload_findings(processes: list[ProcessThreads], pods: list[TaskGroup], pod_pids_limit: PodPidsLimit | None,
                       warn: float, crit: float) -> list[Finding]:
    """Zombies and their parents, pods near the kubelet's podPidsLimit, and a missing podPidsLimit."""
    out: list[Finding] = []
    zombies = [p for p in processes if p.state == "Z"]
    if zombies:
        parents: dict[int, int] = {}
        for z in zombies:
            if z.ppid is not None:
                parents[z.ppid] = parents.get(z.ppid, 0) + 1
        names = {p.pid: p.comm for p in processes}
        worst = sorted(parents.items(), key=lambda item: (-item[1], item[0]))[:3]
        who = ", ".join(f"{count} of {pid}/{names.get(pid, '?')}" for pid, count in worst)
        out.append(Finding(Severity.INFO, "zombies",
                           f"{len(zombies)} zombie process(es) keep their PIDs until the parent reaps them"
                           + (f" (parents: {who})" if who else "")))
    for pod in pods:
        if pod.limit_source != "podPidsLimit" or pod.percent is None:
            continue  # a pod with its own pids.max is judged as a cgroup already
        level = _level(100.0 * pod.tasks / (pod.limit or 1), warn, crit)
        if level is not None:
            out.append(Finding(level, "pod-pids-limit", f"pod {pod.pod_uid}: {pod.tasks} tasks of podPidsLimit {pod.limit} "
                                                        f"({pod.percent:.2f}%)"))
    if pod_pids_limit is not None and pod_pids_limit.unreadable is None and (pod_pids_limit.value is None or pod_pids_limit.value < 0):
        out.append(Finding(Severity.INFO, "pod-pids-unlimited",
                           f"podPidsLimit is not set in {pod_pids_limit.path}: one pod can take every PID of the node"))
    return out
