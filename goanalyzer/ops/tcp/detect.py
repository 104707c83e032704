"""Which tool wrote a saved file (netstat, ss or /proc/net/tcp), decided from its first line."""

from __future__ import annotations

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.inputs import printable, read_input
from goanalyzer.ops.tcp.model import InputFormat, Snapshot
from goanalyzer.ops.tcp.parse_netstat import looks_like_netstat, parse_netstat
from goanalyzer.ops.tcp.parse_proc import looks_like_proc, parse_proc_net_tcp
from goanalyzer.ops.tcp.parse_ss import looks_like_ss, parse_ss

# netstat's stderr, often saved with 2>&1 ahead of the table.
_PREAMBLE = ("(Not all processes", "will not be shown", "(No info could be read")


def detect_format(text: str, path: str) -> InputFormat:
    """The format of the first meaningful line; an unrecognised one is an error at that line."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith(_PREAMBLE):
            continue
        if looks_like_proc(raw):
            return InputFormat.PROC
        if looks_like_ss(raw):
            return InputFormat.SS
        if looks_like_netstat(raw):
            return InputFormat.NETSTAT
        raise OpsInputError(
            f"unrecognised input {line[:40]!r}: expected netstat -anp, ss -tanp or /proc/net/tcp output",
            path=path, line=number,
        )
    raise OpsInputError("no connections table found (the file is empty)", path=path)


def read_text(path: str) -> str:
    """The input as text (`-` is stdin). Bytes that are not UTF-8 (a process title in another
    encoding) are kept and shown as \\xNN, as netstat and ss print whatever the process set."""
    return printable(read_input(path).text)


def load_snapshot(path: str) -> Snapshot:
    """Read and parse a saved file in whichever supported format it is."""
    text = read_text(path)
    fmt = detect_format(text, path)
    if fmt is InputFormat.PROC:
        return parse_proc_net_tcp(text, path)
    if fmt is InputFormat.SS:
        return parse_ss(text, path)
    return parse_netstat(text, path)
