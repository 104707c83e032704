"""~/.netrc as the go command reads it (cmd/go/internal/auth), and what it silently skips.

Go's reader works line by line: each line is split on white space and read as keyword/value
pairs (a keyword and its value must be on the same line); an entry counts once machine, login
and password are all set; `macdef` skips the following lines up to an empty one; a line whose
last odd word is `default` ends the file; `default` elsewhere and `account`/`port` are ignored.
The first entry whose machine equals the host wins. Passwords are never kept: only their
presence and length.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from goanalyzer.ops.common import MASK, OpsInputError, Severity
from goanalyzer.ops.inputs import STDIN, read_input


@dataclass(slots=True)
class NetrcEntry:
    """An entry the go command uses."""

    machine: str
    login: str
    password: str  # always MASK
    line: int  # where the entry was completed
    shadowed_by: int | None = None  # line of an earlier entry for the same machine


@dataclass(slots=True)
class NetrcFinding:
    severity: Severity
    code: str
    message: str
    line: int | None = None


@dataclass(slots=True)
class NetrcReport:
    path: str
    mode: str | None  # octal permission bits, e.g. "0600"
    entries: list[NetrcEntry] = field(default_factory=list)
    findings: list[NetrcFinding] = field(default_factory=list)


_PLACEHOLDER = re.compile(r"^\$(\{[A-Za-z_][A-Za-z0-9_]*[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$")


def parse_netrc(text: str) -> NetrcReport:
    """Entries as Go sees them, and findings for what Go skips or reads differently."""
    report = NetrcReport(path="", mode=None)
    machine = login = password = None
    machine_line = 0
    in_macro = False
    macro_line = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if in_macro:
            if line == "":
                in_macro = False
            continue
        fields = line.split()
        i = 0
        while i < len(fields) - 1:
            key, value = fields[i], fields[i + 1]
            if key == "machine":
                _incomplete(report, machine, login, password, machine_line)
                machine, login, password, machine_line = value, None, None, number
            elif key == "login":
                login = value
            elif key == "password":
                password = value
                if _PLACEHOLDER.match(value):
                    report.findings.append(NetrcFinding(
                        Severity.WARNING, "unexpanded-variable",
                        f"the password of machine {machine} is the literal text {value}: the variable was not "
                        "expanded when the file was written (single quotes?)", number))
            elif key == "default":
                report.findings.append(NetrcFinding(
                    Severity.INFO, "default-ignored",
                    "the go command skips `default` entries here: it reads `default` and the next word as a "
                    "pair and keeps reading the following lines", number))
            elif key == "macdef":
                in_macro, macro_line = True, number
            if machine and login and password:
                report.entries.append(NetrcEntry(machine, login, MASK, number))
                machine = login = password = None
            i += 2
        if i < len(fields):
            if fields[i] == "default":
                rest = [w for w in text.split("\n")[number:] if w.strip()]
                if rest:
                    report.findings.append(NetrcFinding(
                        Severity.INFO, "after-default",
                        f"the go command stops reading at this `default` line; {len(rest)} later non-empty "
                        "line(s) are ignored", number))
                break
            if fields[i] in ("machine", "login", "password", "account", "macdef", "port"):
                report.findings.append(NetrcFinding(
                    Severity.WARNING, "split-pair",
                    f"`{fields[i]}` is the last word of the line; the go command reads keyword and value only "
                    "from the same line, so this value is lost", number))
    if in_macro:
        report.findings.append(NetrcFinding(
            Severity.INFO, "macdef-to-eof", "macdef without a terminating empty line swallows the rest of the file",
            macro_line))
    _incomplete(report, machine, login, password, machine_line)
    seen: dict[str, int] = {}
    for entry in report.entries:
        if entry.machine in seen:
            entry.shadowed_by = seen[entry.machine]
            report.findings.append(NetrcFinding(
                Severity.WARNING, "duplicate-machine",
                f"machine {entry.machine} appears again; the go command uses the entry of line "
                f"{seen[entry.machine]} and never this one", entry.line))
        else:
            seen[entry.machine] = entry.line
    return report


def _incomplete(report: NetrcReport, machine: str | None, login: str | None, password: str | None,
                line: int) -> None:
    """A machine whose entry never completed: Go drops it without a word."""
    if machine is None:
        return
    missing = [name for name, value in (("login", login), ("password", password)) if value is None]
    if missing:
        report.findings.append(NetrcFinding(
            Severity.WARNING, "incomplete-entry",
            f"machine {machine} has no {' and no '.join(missing)} on the lines the go command pairs; "
            "the go command ignores it", line))


NETRC_KEYWORDS = ("machine", "default", "macdef")
"""Words every .netrc has at least one of; a file with none is something else."""


def check_netrc(path: str) -> NetrcReport:
    """Read (`-`: standard input), parse and check a .netrc: permissions, what Go skips. A file that
    cannot be a .netrc (NUL bytes, no machine/default/macdef keyword) is an OpsInputError."""
    source = read_input(path)
    text = source.text
    if "\x00" in text:
        raise OpsInputError("not a .netrc file: it holds NUL bytes (binary data)", path=source.path,
                            line=text[: text.index("\x00")].count("\n") + 1)
    words = set(text.split())
    if words and not words & set(NETRC_KEYWORDS):
        raise OpsInputError("not a .netrc file: no machine, default or macdef keyword", path=source.path)
    report = parse_netrc(text)
    report.path = source.path
    if source.non_utf8_line is not None:
        report.findings.append(NetrcFinding(
            Severity.INFO, "non-utf8", "bytes that are not UTF-8 are read as they are, as the go command does "
            "(shown as \\xNN)", source.non_utf8_line))
    if path != STDIN:
        _check_owner_and_mode(report, Path(path))
    report.findings.sort(key=lambda f: (f.line or 0, f.code))
    return report


def _check_owner_and_mode(report: NetrcReport, path: Path) -> None:
    """Permissions wider than 0600 and a file owned by someone else."""
    try:
        info = path.stat()
    except OSError as error:
        raise OpsInputError(f"cannot read: {error.strerror}", path=str(path)) from None
    mode = stat.S_IMODE(info.st_mode)
    report.mode = f"{mode:04o}"
    if mode & ~0o600:
        report.findings.append(NetrcFinding(
            Severity.WARNING, "permissions",
            f"permissions {mode:04o} are wider than 0600: "
            + ("other users can read the passwords" if mode & 0o044 else "bits beyond owner read/write are set")
            + f"; run chmod 600 {path}"))
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        report.findings.append(NetrcFinding(
            Severity.INFO, "owner", f"owned by uid {info.st_uid}, not by the current user ({os.getuid()})"))
