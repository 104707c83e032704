"""klog lines (`Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`), plain printf-style or structured
(`"msg" key="value" key2=value`), also when prefixed by a CRI log or journald header.

klog has no year, so the caller supplies one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from goanalyzer.ops.common import OpsInputError

KLOG_HEADER = re.compile(
    r"(?P<sev>[IWEF])(?P<mon>\d{2})(?P<day>\d{2}) (?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})\.(?P<us>\d{6})"
    r"\s+(?P<tid>\d+)\s+(?P<src>[^\s\]]+:\d+)\]\s?(?P<msg>.*)$"
)
_PREFIXED = re.compile(r"\s(?=[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d{6}\s+\d+\s+[^\s\]]+:\d+\])")
_PAIR = re.compile(r'\s*([A-Za-z0-9_.\-/]+)=("(?:[^"\\]|\\.)*"|\S+)')

@dataclass(slots=True)
class KlogLine:
    """One parsed klog line; `text` is the message plus structured values, for pattern matching."""

    path: str
    line: int
    severity: str
    timestamp: datetime
    thread: int
    source: str
    message: str
    fields: dict[str, str] = field(default_factory=dict)
    structured: bool = False
    raw: str = ""

    @property
    def component(self) -> str:
        """The Go source file that logged the line (line numbers differ between releases)."""
        return self.source.rsplit(":", 1)[0]

    @property
    def text(self) -> str:
        if not self.fields:
            return self.message
        return self.message + " " + " ".join(f"{k}={v}" for k, v in self.fields.items())


def _unquote(quoted: str) -> str:
    try:
        return json.loads(quoted)
    except ValueError:
        return quoted[1:-1]


def _quoted_prefix(text: str) -> tuple[str, str] | None:
    """Split a leading Go-quoted string off `text`."""
    if not text.startswith('"'):
        return None
    i = 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return text[: i + 1], text[i + 1 :]
        i += 1
    return None


def parse_message(msg: str) -> tuple[str, dict[str, str], bool]:
    """(message, key/values, structured?) of the part after `]`."""
    split = _quoted_prefix(msg)
    if split is None:
        return msg, {}, False
    quoted, rest = split
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(rest):
        m = _PAIR.match(rest, pos)
        if not m:
            if rest[pos:].strip():
                return msg, {}, False
            break
        value = m.group(2)
        fields[m.group(1)] = _unquote(value) if value.startswith('"') else value
        pos = m.end()
    return _unquote(quoted), fields, True


def parse_line(raw: str, path: str, lineno: int, year: int) -> KlogLine | None:
    """A KlogLine, or None when the line is not klog (continuations, other output)."""
    text = raw.rstrip("\n")
    m = KLOG_HEADER.match(text)
    if m is None:
        prefixed = _PREFIXED.search(text)
        if prefixed is None:
            return None
        m = KLOG_HEADER.match(text, prefixed.end())
        if m is None:
            return None
    try:
        timestamp = datetime(
            year, int(m["mon"]), int(m["day"]), int(m["h"]), int(m["m"]), int(m["s"]), int(m["us"])
        )
    except ValueError as error:
        raise OpsInputError(f"klog timestamp {m['mon']}{m['day']} {m['h']}:{m['m']}:{m['s']} is invalid in {year}: {error}", path=path, line=lineno) from None
    message, fields, structured = parse_message(m["msg"])
    return KlogLine(
        path=path,
        line=lineno,
        severity=m["sev"],
        timestamp=timestamp,
        thread=int(m["tid"]),
        source=m["src"],
        message=message,
        fields=fields,
        structured=structured,
        raw=text,
    )


def parse_log(text: str, path: str, year: int) -> list[KlogLine]:
    """Every klog line of a log; a file with none is malformed input."""
    lines = [parsed for n, raw in enumerate(text.splitlines(), start=1) if (parsed := parse_line(raw, path, n, year))]
    if not lines and text.strip():
        first = next(n for n, raw in enumerate(text.splitlines(), start=1) if raw.strip())
        raise OpsInputError(
            "no klog lines found (expected e.g. 'E0510 17:43:56.892945 790992 reflector.go:178] message')", path=path, line=first
        )
    return lines
