"""The report of `dockerfile lint`: credentials with their uses and exposures, findings, the
proposed secret-mount rewrite and the GOPRIVATE checks. Values of credentials are never stored.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from goanalyzer.ops.common import Severity


class Role(str, enum.Enum):
    """What a credential variable holds; a user name is worth less than a password."""

    PASSWORD = "password"
    LOGIN = "login"
    SECRET = "secret"


class UseKind(str, enum.Enum):
    """How an instruction uses a credential."""

    NETRC = "netrc"
    URL = "url-userinfo"
    GITCONFIG = "gitconfig"
    HTTP_AUTH = "http-auth"
    BUILD_LOG = "build-log"
    ENV = "env"
    COMMAND = "command"


WRITES = (UseKind.NETRC, UseKind.GITCONFIG, UseKind.URL)
"""Uses that store the credential where the go command or git reads it: a secret mount replaces them."""


@dataclass(slots=True)
class Use:
    """One place a credential variable is used."""

    line: int
    stage: str
    kind: UseKind
    detail: str
    host: str | None = None
    file: str | None = None
    removed_in_same_run: bool = False
    in_scope: bool = True


@dataclass(slots=True)
class Credential:
    """A build ARG or ENV that carries a credential, and its trace."""

    name: str
    kind: str  # "ARG" or "ENV"
    role: Role
    stage: str  # stage label, or "global" for an ARG before the first FROM
    line: int
    reasons: list[str] = field(default_factory=list)
    default: str | None = None  # masked
    uses: list[Use] = field(default_factory=list)
    exposures: list[str] = field(default_factory=list)
    final_stage_carries: bool = False


@dataclass(slots=True)
class LeakFinding:
    """One finding, at the lines of the instruction it is about."""

    rule: str
    severity: Severity
    message: str
    line: int
    end_line: int
    stage: str
    related_lines: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Rewrite:
    """The BuildKit secret-mount replacement for one stage."""

    stage: str
    secret_id: str
    target: str
    remove_lines: list[dict]  # {"line", "text"}
    replacements: list[dict]  # {"line", "end_line", "before", "after"}
    add_syntax_directive: bool
    build_command: list[str]


@dataclass(slots=True)
class GoCheck:
    """GOPRIVATE/GOPROXY as seen by the first go command of a stage, for one private host."""

    stage: str
    line: int
    host: str
    goprivate: str
    gonoproxy: str
    gonosumdb: str
    goproxy: str
    gosumdb: str
    private_match: str | None
    attempts: list[str]
    checksum_db: str | None
    unknown: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LintReport:
    """Everything `dockerfile lint` reports; values of credentials are never kept."""

    path: str
    final_stage: str
    stages: list[str]
    credentials: list[Credential]
    findings: list[LeakFinding]
    rewrites: list[Rewrite]
    go_checks: list[GoCheck]
