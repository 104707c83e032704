"""Text and JSON shapes of the tcp commands' results (no printing here)."""

from __future__ import annotations

from goanalyzer.ops.common import to_jsonable
from goanalyzer.ops.tcp.ephemeral import PortReport, format_port_list
from goanalyzer.ops.tcp.killplan import ExecutionReport, KillPlan
from goanalyzer.ops.tcp.model import Connection, Snapshot
from goanalyzer.ops.tcp.tcpkill import TcpkillReport


def owners(connection: Connection) -> str:
    return ",".join(str(process) for process in connection.processes) or "-"


def connection_line(connection: Connection) -> str:
    return f"{connection.state.value} {connection.local} -> {connection.remote} {owners(connection)}"


def connection_json(connection: Connection) -> dict:
    return {
        "family": connection.family.value,
        "state": connection.state.value,
        "local": str(connection.local),
        "local_host": connection.local.host,
        "local_port": connection.local.port,
        "remote": str(connection.remote),
        "remote_host": connection.remote.host,
        "remote_port": connection.remote.port,
        "processes": [to_jsonable(process) for process in connection.processes],
        "inode": connection.inode,
        "uid": connection.uid,
        "line": connection.line,
    }


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]


def find_json(snapshot: Snapshot, matches: list[Connection], filters: dict) -> dict:
    return {
        "source": snapshot.source,
        "format": snapshot.format.value,
        "filters": filters,
        "matched": len(matches),
        "connections": [connection_json(c) for c in matches],
        "skipped_non_tcp": snapshot.skipped,
        "notes": snapshot.notes,
    }


def find_text(snapshot: Snapshot, matches: list[Connection]) -> str:
    lines = []
    if matches:
        rows = [["STATE", "LOCAL", "REMOTE", "PROCESS"]]
        rows += [[c.state.value, str(c.local), str(c.remote), owners(c)] for c in matches]
        lines += _table(rows)
    lines.append(f"{len(matches)} connection(s) matched in {snapshot.source} ({snapshot.format.value})")
    lines += [f"note: {note}" for note in snapshot.notes]
    return "\n".join(lines)


def plan_json(plan: KillPlan) -> dict:
    return {
        "source": plan.source,
        "live": plan.live,
        "filters": plan.filters,
        "closes": [
            {
                "connection": connection_json(close.connection),
                "ss": close.ss_command,
                "tcpkill": close.tcpkill_command,
                "notes": close.notes,
            }
            for close in plan.closes
        ],
        "caveats": plan.caveats,
    }


def plan_text(plan: KillPlan) -> str:
    if not plan.closes:
        return f"no matching connection in {plan.source}: nothing to close"
    lines = [f"{len(plan.closes)} connection(s) to close (from {plan.source}):"]
    for close in plan.closes:
        lines.append("")
        lines.append(connection_line(close.connection))
        lines.append(f"  ss:      {close.ss_command or '(none)'}")
        lines.append(f"  tcpkill: {close.tcpkill_command or '(none)'}")
        lines += [f"  note: {note}" for note in close.notes]
    lines.append("")
    lines.append("caveats:")
    lines += [f"  - {caveat}" for caveat in plan.caveats]
    return "\n".join(lines)


def execution_json(report: ExecutionReport) -> list[dict]:
    return [
        {
            "connection": connection_json(outcome.connection),
            "ss": outcome.ss_command,
            "ss_returncode": outcome.ss_returncode,
            "ss_error": outcome.ss_error,
            "closed": outcome.closed,
            "still_state": outcome.still_state,
        }
        for outcome in report.outcomes
    ]


STILL_OPEN_HINT = ("the kernel did not destroy it: ss -K needs root (CAP_NET_ADMIN) and a kernel built "
                   "with CONFIG_INET_DIAG_DESTROY")


def execution_text(report: ExecutionReport) -> str:
    lines = []
    for outcome in report.outcomes:
        where = f"{outcome.connection.local} -> {outcome.connection.remote}"
        if outcome.closed:
            lines.append(f"closed: {where} (gone from a fresh snapshot)")
            continue
        detail = f"; ss said: {outcome.ss_error}" if outcome.ss_error else ""
        lines.append(f"still open: {where} ({outcome.still_state or 'not run'}): {STILL_OPEN_HINT}{detail}")
    closed = sum(outcome.closed for outcome in report.outcomes)
    lines.append(f"{closed} of {len(report.outcomes)} connection(s) closed")
    return "\n".join(lines)


def tcpkill_json(report: TcpkillReport) -> dict:
    return {
        "source": report.source,
        "sessions": [
            {
                "line": session.line,
                "interface": session.interface,
                "filter": session.filter,
                "reset_count": len(session.resets),
                "flows": [
                    {
                        "src": str(flow.src), "dst": str(flow.dst), "count": flow.count,
                        "first_seq": flow.first_seq, "last_seq": flow.last_seq,
                        "lines": [flow.first_line, flow.last_line],
                    }
                    for flow in session.flows
                ],
                "resets": [
                    {"line": r.line, "src": str(r.src), "dst": str(r.dst), "seq": r.seq, "window": r.window}
                    for r in session.resets
                ],
                "messages": session.messages,
            }
            for session in report.sessions
        ],
        "skipped_lines": report.skipped_lines,
    }


IDLE_HINT = ("no resets: tcpkill saw no packet of a matching connection "
             "(an idle connection is not reset until one side sends)")


def tcpkill_text(report: TcpkillReport) -> str:
    lines = []
    for session in report.sessions:
        where = f"line {session.line}" if session.line else "no banner"
        head = (f"tcpkill on {session.interface} [{session.filter}] ({where})" if session.interface
                else f"tcpkill ({where})")
        if not session.resets:
            lines.append(f"{head}: {IDLE_HINT}")
        else:
            lines.append(f"{head}: {len(session.resets)} reset(s)")
            for flow in session.flows:
                lines.append(f"  {flow.src} > {flow.dst}  {flow.count} RST  seq {flow.first_seq}..{flow.last_seq}"
                             f"  lines {flow.first_line}-{flow.last_line}")
        lines += [f"  message: {message}" for message in session.messages]
    if report.skipped_lines:
        lines.append(f"{report.skipped_lines} other line(s) skipped")
    return "\n".join(lines)


def _port_range_line(report: PortReport) -> str:
    st = report.settings
    reserved = format_port_list(st.reserved) or "none"
    return f"ephemeral ports {st.low}-{st.high}, reserved {reserved} (from {st.source})"


def port_check_text(report: PortReport, snapshot: Snapshot) -> str:
    lines = [_port_range_line(report)]
    if report.checks:
        rows = [["PORT", "CHECKED AS", "IN RANGE", "RESERVED", "HELD BY", "VERDICT"]]
        for check in report.checks:
            held = "; ".join(f"{owners(c)} {c.state.value} {c.local} -> {c.remote}" for c in check.held_by) or "-"
            rows.append([str(check.port), check.origin, "yes" if check.in_range else "no",
                         "yes" if check.reserved else "no", held, "AT RISK" if check.at_risk else "ok"])
        lines += _table(rows)
    else:
        lines.append(f"no listening port in {snapshot.source} and no --port given: nothing to check")
    if report.fix:
        lines += ["", "fix (reserve the ports at risk; the ports already reserved are kept):"]
        lines += [f"  {step}" for step in report.fix]
    lines.append(f"{len(report.at_risk)} of {len(report.checks)} port(s) at risk")
    return "\n".join(lines)


def port_check_json(report: PortReport, snapshot: Snapshot) -> dict:
    st = report.settings
    return {
        "source": snapshot.source,
        "ip_local_port_range": [st.low, st.high],
        "ip_local_reserved_ports": format_port_list(st.reserved),
        "settings_from": st.source,
        "ports": [
            {"port": c.port, "checked_as": c.origin, "in_range": c.in_range, "reserved": c.reserved, "at_risk": c.at_risk,
             "held_by": [connection_json(h) for h in c.held_by]}
            for c in report.checks
        ],
        "reserved_ports_value": report.reserved_value,
        "fix": report.fix,
    }
