"""tcpkill (dsniff) output -> reset records.

tcpkill prints `tcpkill: listening on IFACE [FILTER]` once, then for every packet it sniffs
of a matching connection one line per forged RST, in the direction the RST travels:
`SRC:PORT > DST:PORT: R SEQ:SEQ(0) win 0`. No line after the banner means it saw no
traffic, so nothing was reset. Other console lines saved with it are skipped.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.tcp.model import Endpoint

_BANNER = re.compile(r"^tcpkill: listening on (?P<iface>\S+) \[(?P<filter>.*)\]\s*$")
_MESSAGE = re.compile(r"^tcpkill: (?P<text>.*?)\s*$")
_RESET = re.compile(
    r"^(?P<src>[0-9.]+):(?P<sport>\d+) > (?P<dst>[0-9.]+):(?P<dport>\d+): "
    r"R (?P<seq>\d+):(?P<end>\d+)\((?P<len>\d+)\) win (?P<win>\d+)\s*$"
)
_RESET_LIKE = re.compile(r"^\S+:\S+ > \S+:\S*")


@dataclass(slots=True, frozen=True)
class ResetRecord:
    """One RST tcpkill sent, from `src` to `dst`, with the sequence number it guessed."""

    line: int
    src: Endpoint
    dst: Endpoint
    seq: int
    window: int


@dataclass(slots=True)
class ResetFlow:
    """The RSTs sent in one direction of one connection."""

    src: Endpoint
    dst: Endpoint
    count: int
    first_seq: int
    last_seq: int
    first_line: int
    last_line: int


@dataclass(slots=True)
class TcpkillSession:
    """One tcpkill run: its banner (None when the output starts mid-run) and what it reset."""

    line: int | None
    interface: str | None
    filter: str | None
    resets: list[ResetRecord] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def flows(self) -> list[ResetFlow]:
        grouped: dict[tuple[Endpoint, Endpoint], ResetFlow] = {}
        for record in self.resets:
            key = (record.src, record.dst)
            flow = grouped.get(key)
            if flow is None:
                grouped[key] = ResetFlow(record.src, record.dst, 1, record.seq, record.seq, record.line, record.line)
            else:
                flow.count += 1
                flow.last_seq = record.seq
                flow.last_line = record.line
        return sorted(grouped.values(), key=lambda f: f.first_line)


@dataclass(slots=True)
class TcpkillReport:
    source: str
    sessions: list[TcpkillSession]
    skipped_lines: int


def _endpoint(host: str, port: str, path: str, number: int) -> Endpoint:
    try:
        address = ipaddress.IPv4Address(host)
    except ValueError:
        raise OpsInputError(f"{host!r} is not an IPv4 address", path=path, line=number) from None
    if int(port) > 65535:
        raise OpsInputError(f"port {port} is out of range", path=path, line=number)
    return Endpoint(str(address), int(port))


def parse_tcpkill(text: str, path: str) -> TcpkillReport:
    """Parse tcpkill's output; a reset line that does not fit is an error naming its line."""
    sessions: list[TcpkillSession] = []
    skipped = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        banner = _BANNER.match(line)
        if banner:
            sessions.append(TcpkillSession(number, banner["iface"], banner["filter"].strip()))
            continue
        reset = _RESET.match(line)
        if reset:
            seq = int(reset["seq"])
            if seq > 0xFFFFFFFF:
                raise OpsInputError(f"sequence number {seq} exceeds 32 bits", path=path, line=number)
            record = ResetRecord(
                number,
                _endpoint(reset["src"], reset["sport"], path, number),
                _endpoint(reset["dst"], reset["dport"], path, number),
                seq,
                int(reset["win"]),
            )
            if not sessions:
                sessions.append(TcpkillSession(None, None, None))
            sessions[-1].resets.append(record)
            continue
        if _RESET_LIKE.match(line):
            raise OpsInputError(
                f"malformed reset line {line[:60]!r}: expected 'SRC:PORT > DST:PORT: R SEQ:SEQ(0) win 0'",
                path=path, line=number,
            )
        message = _MESSAGE.match(line)
        if message:
            if not sessions:
                sessions.append(TcpkillSession(None, None, None))
            sessions[-1].messages.append(message["text"])
            continue
        skipped += 1
    if not sessions:
        raise OpsInputError("no tcpkill output found (no 'tcpkill: listening on' line and no reset lines)", path=path)
    return TcpkillReport(source=path, sessions=sessions, skipped_lines=skipped)


def idle_sessions(report: TcpkillReport) -> list[TcpkillSession]:
    """Runs that reset nothing: tcpkill saw no packet of a matching connection."""
    return [session for session in report.sessions if not session.resets]
