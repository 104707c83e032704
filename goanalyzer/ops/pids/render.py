"""Text for people, JSON for scripts, Prometheus text exposition for node_exporter's textfile collector.

The Prometheus output has HELP/TYPE lines, gauges only and no timestamps (the textfile
collector rejects samples with timestamps); write it to a temporary file and rename it into
the collector directory so node_exporter never reads half a file.
"""

from __future__ import annotations

from goanalyzer.ops.common import dumps
from goanalyzer.ops.pids.estimate import PidsReport

PREFIX = "goanalyzer_pids"
TOP_CGROUPS = 10


def render_json(report: PidsReport) -> str:
    return dumps(report)


def _num(value: int | None) -> str:
    return "-" if value is None else str(value)


def render_text(report: PidsReport) -> str:
    lines: list[str] = []
    stack = report.kernel_stack
    lines.append(f"proc: {report.proc}")
    lines.append(f"kernel: {stack.release or 'unknown'} ({stack.arch or 'unknown arch'}); "
                 f"nr_kernel_stack unit: {stack.unit.value}; stack size: "
                 f"{f'{stack.stack_kib} KiB' if stack.stack_kib else 'unknown'}")
    limits = report.limits
    lines.append(f"limits: pid_max {_num(limits.pid_max)}, threads-max {_num(limits.threads_max)}, "
                 f"effective {_num(limits.effective)}")
    lines.append("estimates of tasks:")
    for e in report.estimates:
        lines.append(f"  {e.source:<13} {e.tasks:>8}  {e.detail}")
    if report.comparisons:
        verdict = "consistent" if report.consistent else "INCONSISTENT"
        lines.append(f"cross-check against {report.comparisons[0].reference}: {verdict}")
        for c in report.comparisons:
            lines.append(f"  {c.source:<13} {c.difference:+8d}  {'ok' if c.agrees else 'disagrees'}")
    if report.usage is not None:
        u = report.usage
        lines.append(f"usage: {u.used} of {u.limit} ({u.percent:.2f}%) by {u.basis}; "
                     f"pid.available {u.pid_available} (warn {report.warn_percent:g}%, crit {report.crit_percent:g}%)")
    if report.eviction_pid_available is not None:
        lines.append(f"kubelet eviction threshold pid.available < {report.eviction_pid_available}")
    if report.zombies is not None:
        lines.append(f"zombies: {report.zombies}")
    limit = report.pod_pids_limit
    if limit is not None:
        if limit.unreadable is not None:
            value = f"unknown ({limit.unreadable})"
        else:
            value = "not set (unlimited)" if limit.value is None or limit.value < 0 else str(limit.value)
        lines.append(f"kubelet podPidsLimit: {value} [{limit.path}]")
    if report.top_processes:
        lines.append("processes with most threads:")
        for p in report.top_processes:
            lines.append(f"  {p.pid:>8} {p.comm:<16} {p.threads}")
    lines += _groups_text(report)
    limited = [c for c in report.cgroups if c.limit is not None]
    if report.cgroup_version is not None:
        lines.append(f"cgroups ({report.cgroup_version}): {len(report.cgroups)} with pids controller, "
                     f"{len(limited)} with a pids.max")
        limited.sort(key=lambda c: (-(c.percent or 0.0), c.cgroup))
        for c in limited[:TOP_CGROUPS]:
            refused = f", refused {c.refused}" if c.refused else ""
            lines.append(f"  {c.current:>7}/{c.limit:<7} {c.percent:6.2f}%  {c.cgroup}{refused}")
    if report.findings:
        lines.append("findings:")
        for f in report.findings:
            lines.append(f"  {f.severity.value}: {f.message}")
    else:
        lines.append("findings: none")
    return "\n".join(lines)


def _groups_text(report: PidsReport) -> list[str]:
    """The pods and cgroups with most tasks, as tables (only when /proc/PID/cgroup was readable)."""
    lines: list[str] = []
    if report.top_pods:
        lines.append("pods with most tasks:")
        rows = [["TASKS", "PROCS", "ZOMBIES", "LIMIT", "USE", "QOS", "POD UID"]]
        for g in report.top_pods:
            limit = f"{g.limit} ({g.limit_source})" if g.limit else "-"
            use = f"{g.percent:.2f}%" if g.percent is not None else "-"
            rows.append([str(g.tasks), str(g.processes), str(g.zombies), limit, use, g.qos or "-", g.pod_uid or "-"])
        lines += _table(rows)
    if report.top_cgroups:
        lines.append("cgroups with most tasks:")
        rows = [["TASKS", "PROCS", "ZOMBIES", "POD UID", "CONTAINER", "CGROUP"]]
        for g in report.top_cgroups:
            rows.append([str(g.tasks), str(g.processes), str(g.zombies), g.pod_uid or "-",
                         (g.container_id or "-")[:13], g.key])
        lines += _table(rows)
    return lines


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def render_prometheus(report: PidsReport) -> str:
    """Prometheus text exposition format 0.0.4, one family per metric name (the CLI adds the final newline)."""
    out: list[str] = []

    def family(name: str, help_text: str, samples: list[tuple[dict[str, str], float]], kind: str = "gauge") -> None:
        if not samples:
            return
        out.append(f"# HELP {PREFIX}_{name} {help_text}")
        out.append(f"# TYPE {PREFIX}_{name} {kind}")
        for labels, value in samples:
            label_text = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()))
            out.append(f"{PREFIX}_{name}{{{label_text}}} {_fmt(value)}" if label_text
                       else f"{PREFIX}_{name} {_fmt(value)}")

    limits = report.limits
    family("limit", "System-wide task limit by source (effective = min(pid_max, threads-max)).",
           [({"source": s}, v) for s, v in (("effective", limits.effective), ("pid_max", limits.pid_max),
                                             ("threads_max", limits.threads_max)) if v is not None])
    family("tasks", "Tasks (processes and threads) estimated from each source.",
           [({"source": e.source}, e.tasks) for e in sorted(report.estimates, key=lambda e: e.source)])
    raw = report.kernel_stack.raw
    family("vmstat_nr_kernel_stack", "Raw nr_kernel_stack from /proc/vmstat; unit label says kB or stacks.",
           [] if raw is None else [({"unit": report.kernel_stack.unit.value}, raw)])
    if report.consistent is not None:
        family("sources_consistent", "1 when every task estimate agrees with the loadavg count.",
               [({}, 1 if report.consistent else 0)])
    if report.usage is not None:
        family("usage_ratio", "Tasks in use divided by the effective limit.",
               [({}, round(report.usage.used / report.usage.limit, 6))])
        family("available", "The kubelet's pid.available: effective limit minus tasks in use.",
               [({}, report.usage.pid_available)])
    family("cgroup_current", "pids.current per cgroup with a pids.max.",
           [({"cgroup": c.cgroup}, c.current) for c in report.cgroups if c.limit is not None])
    family("cgroup_max", "pids.max per cgroup (cgroups with pids.max=max are left out).",
           [({"cgroup": c.cgroup}, c.limit) for c in report.cgroups if c.limit is not None])
    family("cgroup_refused_total", "fork/clone calls refused by pids.max (pids.events max).",
           [({"cgroup": c.cgroup}, c.refused) for c in report.cgroups if c.refused is not None], "counter")
    return "\n".join(out)
